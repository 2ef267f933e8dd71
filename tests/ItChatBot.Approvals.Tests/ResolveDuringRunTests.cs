using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>
/// An agent's <c>/it resolve</c> while a workflow runs ends the run the way <c>/it override … cancel</c> does (an
/// <c>Overridden</c> by the agent and the run's end in the log), withdraws its pending approval cards, and a reopen
/// does not bring the run back.
/// </summary>
public sealed class ResolveDuringRunTests
{
    [Fact]
    public async Task An_agent_resolving_while_the_approval_waits_ends_the_run_and_neither_a_late_approval_nor_a_reopen_grants_anything()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var resolve = await s.CommandAsync("alice", "it", $"resolve {run.Ticket} done by hand");

        var overridden = Assert.Single(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal(("alice", ActorKind.Agent), (overridden.Actor, overridden.ActorKind));
        Assert.Equal((run.Id, WorkflowOverride.Cancel, WorkflowOverride.ViaResolve), (overridden.Get(EventData.Run), overridden.Get("action"), overridden.Get("via")));
        var ended = Assert.Single(await s.EventsAsync(run, EventType.WorkflowCompleted));
        Assert.Equal((run.Id, "cancelled"), (ended.Get(EventData.Run), ended.Get(EventData.Outcome)));
        Assert.Equal("alice", Assert.Single(await s.EventsAsync(run, EventType.Resolved)).Actor);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
        Assert.Null(WorkflowOverride.ActiveRun(await s.App.EventLog.ReadTicketAsync(run.Ticket)));
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.Overridden);
        Assert.Equal(("alice", WorkflowOverride.ViaResolve), (audited.Actor, audited.Get("via")));

        // Every copy of the approval card is replaced by one that offers nothing.
        var updates = resolve.Replies.Where(r => r.UpdateOf?.StartsWith($"{run.Id}:", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(updates, u => u.UpdateOf == ApprovalMessages.ThreadCopyId(run.Id, 0));
        Assert.Contains(updates, u => u.UpdateOf == ApprovalMessages.DirectCopyId(run.Id, 0, "dave"));
        Assert.All(updates, u =>
        {
            Assert.Empty(u.Card.Buttons);
            Assert.Contains("No longer needed", u.Card.ToPlainText(), StringComparison.Ordinal);
        });

        var late = await s.PressAsync("dave", run);

        var refusal = Assert.Single(late.Replies);
        Assert.Equal("dave", refusal.EphemeralTo);
        Assert.Contains($"The workflow run {run.Id} on {run.Ticket} has ended", refusal.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));

        await ReopenAndApproveLateGrantsNothingAsync(s, run);
        Assert.Single(await s.EventsAsync(run, EventType.Overridden));
    }

    [Fact]
    public async Task The_requester_withdrawing_while_the_approval_waits_ends_the_run_and_neither_a_late_approval_nor_a_reopen_grants_anything()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var withdraw = await s.App.Get<ConversationRouter>().RouteAsync(new CardAction
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, "dm-erin"),
            FromPlatformUserId = "erin",
            ReceivedAt = s.Now,
            ActionId = TicketActions.Withdraw,
            Value = run.Ticket,
        });

        var ended = Assert.Single(await s.EventsAsync(run, EventType.WorkflowCompleted));
        Assert.Equal((run.Id, "withdrawn", "erin", ActorKind.Requester), (ended.Get(EventData.Run), ended.Get(EventData.Outcome), ended.Actor, ended.ActorKind));
        Assert.Empty(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
        var updates = withdraw.Replies.Where(r => r.UpdateOf?.StartsWith($"{run.Id}:", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(updates, u => u.UpdateOf == ApprovalMessages.DirectCopyId(run.Id, 0, "dave"));
        Assert.All(updates, u =>
        {
            Assert.Empty(u.Card.Buttons);
            Assert.Contains("withdrew the request", u.Card.ToPlainText(), StringComparison.Ordinal);
        });

        var late = await ReopenAndApproveLateGrantsNothingAsync(s, run);
        Assert.Equal("dave", Assert.Single(late.Replies).EphemeralTo);
    }

    [Fact]
    public async Task Resolving_a_ticket_whose_run_has_ended_records_no_override()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        await s.PressAsync("dave", run);
        await s.CommandAsync("alice", "it", $"reopen {run.Ticket}");

        await s.CommandAsync("alice", "it", $"resolve {run.Ticket} checked with the user");

        Assert.Contains("erin", s.Admins);
        Assert.Empty(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal("completed", Assert.Single(await s.EventsAsync(run, EventType.WorkflowCompleted)).Get(EventData.Outcome));
    }

    /// <summary>
    /// After the run was ended: the requester reopens, the engine passes, the manager approves late. The ticket is open
    /// again, the run stays cancelled and nothing is approved or granted. Returns the late press.
    /// </summary>
    private static async Task<Turn> ReopenAndApproveLateGrantsNothingAsync(ApprovalScenario s, WorkflowRun run)
    {
        await s.CommandAsync("erin", "it", $"reopen {run.Ticket}");
        await s.App.Get<WorkflowEngine>().ResumeDueAsync();
        var late = await s.PressAsync("dave", run);
        await s.App.Get<WorkflowEngine>().ContinueAsync(run.Id);

        Assert.Equal(TicketStatus.Open, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Empty(await s.EventsAsync(run, EventType.AccessGranted));
        Assert.DoesNotContain("erin", s.Admins);
        return late;
    }
}
