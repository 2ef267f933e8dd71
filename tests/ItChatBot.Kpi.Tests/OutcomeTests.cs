using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>DESIGN §3 in the rollups: only an assignment to an agent, an agent's reply, an override or an agent's resolution is agent work.</summary>
public sealed class OutcomeTests
{
    private static Events Automated(string ticket, DateTimeOffset at) =>
        Events.Of(ticket).Created(at, "P3", "IT", "access", "U1").WorkflowStarted(at.AddMinutes(1)).Responded(at.AddMinutes(1), "automation", ActorKind.Automation);

    [Fact]
    public void A_status_change_or_an_imported_approval_by_an_agent_leaves_an_automated_ticket_ai_resolved()
    {
        var t = At("2026-02-02T09:00");
        using var fx = KpiFixture.With([
            // IT-50: an agent put it in progress while the workflow ran.
            .. Automated("IT-50", t).Status(t.AddMinutes(2), TicketStatus.InProgress, "A1")
                .WorkflowCompleted(t.AddMinutes(5)).Resolved(t.AddMinutes(5)).List,
            // IT-51: the approval came from an import that wrote the manager as an agent.
            .. Automated("IT-51", t).Add(EventType.ApprovalDecided, t.AddMinutes(2), "MGR1", ActorKind.Agent, (EventData.Decision, "approved"))
                .WorkflowCompleted(t.AddMinutes(5)).Resolved(t.AddMinutes(5)).List,
            // IT-52: an agent replied: AI-assisted.
            .. Automated("IT-52", t).Responded(t.AddMinutes(2), "A1", ActorKind.Agent)
                .WorkflowCompleted(t.AddMinutes(5)).Resolved(t.AddMinutes(5)).List]);

        var outcomes = fx.Get("automation", by: "outcome").Segments.ToDictionary(s => s.Key, s => s.Count);
        Assert.Equal(2, outcomes["ai-resolved"]);
        Assert.Equal(1, outcomes["ai-assisted"]);
        Assert.Equal(2, fx.Get("savings").Count);
    }
}
