using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: resolve a ticket; the requester is told and can say it is not fixed.</summary>
public sealed class ResolveVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "resolve";

    public string Usage => "/it resolve KEY [note] (e.g. /it resolve IT-42 replaced the dock)";

    public string Summary => "Agents: resolve a ticket; the requester is told and can say it is not fixed. One nobody has becomes yours.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, note) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        await desk.ResolveAsync(turn, key, note, cancellationToken);
    }
}
