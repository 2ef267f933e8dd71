using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: change a ticket's priority; its SLA follows the new priority from now.</summary>
public sealed class PriorityVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "priority";

    public string Usage => "/it priority KEY P1|P2|P3|P4 (e.g. /it priority IT-42 P1)";

    public string Summary => "Agents: change a ticket's priority; its SLA follows the new priority from now.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, priority) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        if (!Tickets.Priority.IsValid(priority.ToUpperInvariant()))
        {
            throw new UsageException(priority.Length == 0 ? "Which priority?" : $"'{priority}' is not a priority.", Usage);
        }

        await desk.PriorityAsync(turn, key, priority, cancellationToken);
    }
}
