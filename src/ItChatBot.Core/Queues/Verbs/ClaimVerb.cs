using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: take a ticket of your team's queue.</summary>
public sealed class ClaimVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "claim";

    public string Usage => "/it claim KEY (e.g. /it claim IT-42)";

    public string Summary => "Agents: take a ticket of your team's queue.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var key = await VerbArguments.KeyOnlyAsync(turn, desk, arguments, Usage, cancellationToken);
        await desk.ClaimAsync(turn, key, cancellationToken);
    }
}
