using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Queues.Tests;

public sealed class QueueRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool> Histories => new()
    {
        { "created", true },
        { "workflow running", false },
        { "workflow pending approval", false },
        { "workflow failed", true },
        { "workflow completed, still open", true },
        { "workflow running, escalated by automation", true },
        { "workflow running, agent assigned", true },
        { "resolved by automation", false },
        { "resolved then reopened", true },
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void A_ticket_needs_a_human_unless_automation_is_working_on_it_or_it_is_resolved(string history, bool needsHuman)
    {
        var e = Events.Of("IT-1").Created(T0);
        _ = history switch
        {
            "created" => e,
            "workflow running" => e.WorkflowStarted(T0),
            "workflow pending approval" => e.WorkflowStarted(T0).Status(T0, TicketStatus.PendingApproval, "automation", ActorKind.Automation),
            "workflow failed" => e.WorkflowStarted(T0).WorkflowFailed(T0),
            "workflow completed, still open" => e.WorkflowStarted(T0).WorkflowCompleted(T0),
            "workflow running, escalated by automation" => e.WorkflowStarted(T0).Escalated(T0, "automation", ActorKind.Automation),
            "workflow running, agent assigned" => e.WorkflowStarted(T0).Assigned(T0, "alice"),
            "resolved by automation" => e.WorkflowStarted(T0).WorkflowCompleted(T0).Resolved(T0),
            "resolved then reopened" => e.WorkflowStarted(T0).WorkflowCompleted(T0).Resolved(T0).Reopened(T0),
            _ => throw new ArgumentOutOfRangeException(nameof(history)),
        };

        Assert.Equal(needsHuman, QueueRules.NeedsHuman(Ticket.Replay(e.List), e.List));
    }
}
