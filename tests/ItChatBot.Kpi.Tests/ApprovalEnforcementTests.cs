using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>DESIGN §4 approval enforcement: a gated action counts only after an approval by an authorized approver.</summary>
public sealed class ApprovalEnforcementTests
{
    /// <summary>A run with an approval gate (approver field as given) decided by <paramref name="decider"/>, then a grant_access step.</summary>
    private static List<TicketEvent> GatedRun(string ticket, string? approver, string decider, string? step = "0")
    {
        var run = $"r-{ticket}";
        (string, string)[] Where(params (string, string)[] more) =>
            [(EventData.Run, run), .. step is null ? [] : new[] { (EventData.Step, step) }, .. more];
        var requested = Where(approver is null ? [] : [(EventData.Approver, approver)]);
        return [.. Events.Of(ticket).Created(At("2026-02-02T09:00"), "P3", "IT", "access", "U1")
            .WorkflowStarted(At("2026-02-02T09:00"))
            .Add(EventType.ApprovalRequested, At("2026-02-02T09:01"), "automation", ActorKind.Automation, requested)
            .Add(EventType.ApprovalDecided, At("2026-02-02T09:30"), decider, ActorKind.Approver, Where((EventData.Decision, "approved"), (EventData.By, decider)))
            .Add(EventType.WorkflowStepCompleted, At("2026-02-02T09:31"), "automation", ActorKind.Automation, (EventData.Run, run), (EventData.Step, "1"), ("kind", "grant_access"))
            .WorkflowCompleted(At("2026-02-02T09:32")).Resolved(At("2026-02-02T09:32")).List];
    }

    [Theory]
    [InlineData("U9", "U5", 0.0)] // U5 is not among the approvers the request named
    [InlineData("U9", "U9", 1.0)]
    [InlineData("U8,U9", "U9", 1.0)] // the manager and a delegate, as PolicyApprovalGate writes them
    [InlineData("U9,group:Security", "U5", 1.0)] // group membership is not in the log: trusted as the gate checked it
    [InlineData(null, "U5", 1.0)] // no approver field (older histories): only "not the requester" is checked
    [InlineData(null, "U1", 0.0)] // the requester approving their own request
    [InlineData("U1", "U1", 0.0)]
    public void A_gated_action_is_enforced_only_after_an_approval_by_a_listed_approver_who_is_not_the_requester(string? approver, string decider, double enforced)
    {
        using var fx = KpiFixture.With(GatedRun("IT-30", approver, decider));
        var approvals = fx.Get("approvals");
        Assert.Equal(1, approvals.Count);
        Assert.Equal(enforced, approvals.Value);
    }

    [Fact]
    public void A_decision_that_names_no_step_is_checked_against_the_runs_requests()
    {
        using var wrong = KpiFixture.With(GatedRun("IT-31", "U9", "U5", step: null));
        Assert.Equal(0.0, wrong.Get("approvals").Value);
        using var right = KpiFixture.With(GatedRun("IT-31", "U9", "U9", step: null));
        Assert.Equal(1.0, right.Get("approvals").Value);
    }
}
