using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: mark a ticket as waiting on its requester; its SLA clocks pause until they reply.</summary>
public sealed class WaitVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "wait";

    public string Usage => "/it wait KEY (e.g. /it wait IT-42)";

    public string Summary => "Agents: mark a ticket as waiting on its requester; its SLA clocks pause until they reply.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var key = VerbArguments.KeyOnly(arguments, Usage);
        return desk.WaitAsync(turn, key, cancellationToken);
    }
}
