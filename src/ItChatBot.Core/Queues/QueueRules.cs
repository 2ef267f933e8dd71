using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>When a ticket belongs in a human queue.</summary>
public static class QueueRules
{
    /// <summary>
    /// An open ticket needs a human unless automation is still working on it (a workflow run has started and
    /// not ended, or an approval is pending). Once anyone escalates it or a person is assigned, it needs a human
    /// whatever automation is doing.
    /// </summary>
    public static bool NeedsHuman(Ticket ticket, IReadOnlyList<TicketEvent> events)
    {
        if (!ticket.IsOpen)
        {
            return false;
        }

        var running = 0;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case EventType.WorkflowStarted:
                    running++;
                    break;
                case EventType.WorkflowCompleted or EventType.WorkflowFailed:
                    running = Math.Max(0, running - 1);
                    break;
                case EventType.Escalated or EventType.Overridden or EventType.Reopened:
                    return true;
                case EventType.Assigned when e.Get(EventData.Assignee) is { Length: > 0 } who && who != "automation":
                    return true;
            }
        }

        return running == 0 && ticket.Status != TicketStatus.PendingApproval;
    }
}
