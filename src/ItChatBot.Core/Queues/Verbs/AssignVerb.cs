using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: give a ticket to another agent of its team.</summary>
public sealed class AssignVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "assign";

    public string Usage => "/it assign KEY @person (e.g. /it assign IT-42 @bob)";

    public string Summary => "Agents: give a ticket to another agent of its team.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, who) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        if (who.Length == 0 || who.Contains(' ', StringComparison.Ordinal))
        {
            throw new UsageException(who.Length == 0 ? "Assign to whom?" : $"'{who}' is not one mention.", Usage);
        }

        await desk.AssignAsync(turn, key, who, cancellationToken);
    }
}
