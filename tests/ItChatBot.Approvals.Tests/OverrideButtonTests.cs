using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>"Cancel run" / "Complete by hand" on the queue card, pressed through the real router: the same override as <c>/it override</c>.</summary>
public sealed class OverrideButtonTests
{
    [Fact]
    public async Task An_agent_sees_the_override_buttons_on_the_queue_card_while_the_run_is_active_and_the_requester_does_not()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var agent = Assert.Single((await s.CommandAsync("alice", "it", $"status {run.Ticket}")).Replies).Card;
        var cancel = Assert.Single(agent.Buttons, b => b.ActionId == OverrideActions.Cancel);
        var complete = Assert.Single(agent.Buttons, b => b.ActionId == OverrideActions.Complete);
        Assert.Equal($"{run.Ticket}|{run.Id}", cancel.Value);
        Assert.Equal(cancel.Value, complete.Value);
        Assert.True(cancel.Asks!.Required);
        Assert.Equal(QueueCards.InputId, cancel.Asks.Id);
        Assert.Equal(QueueCards.InputId, agent.Input!.Id);
        Assert.Contains("Cancel run, Complete by hand: the reason", agent.Input.Label, StringComparison.Ordinal);

        var requester = Assert.Single((await s.CommandAsync("erin", "it", $"status {run.Ticket}")).Replies).Card;
        Assert.DoesNotContain(requester.Buttons, b => b.ActionId.StartsWith("override.", StringComparison.Ordinal));

        await s.CommandAsync("alice", "it", $"override {run.Ticket} cancel handled on a call");
        var after = Assert.Single((await s.CommandAsync("alice", "it", $"status {run.Ticket}")).Replies).Card;
        Assert.DoesNotContain(after.Buttons, b => b.ActionId.StartsWith("override.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_run_with_a_reason_records_overridden_and_a_late_approval_runs_nothing()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await PressAsync(s, "alice", OverrideActions.Cancel, run, "user got access another way");

        Assert.Contains("cancelled the running workflow: user got access another way", turn.Replies[0].Card.ToPlainText(), StringComparison.Ordinal);
        var overridden = Assert.Single(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal("alice", overridden.Actor);
        Assert.Equal("cancel", overridden.Get("action"));
        Assert.Equal("user got access another way", overridden.Get(EventData.Reason));
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.Overridden);
        Assert.Equal("user got access another way", audited.Data["reason"]);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));

        await s.PressAsync("dave", run);
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Fact]
    public async Task Complete_by_hand_with_a_reason_resolves_the_ticket_by_the_agent()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await PressAsync(s, "alice", OverrideActions.Complete, run, "granted in the console", inputId: ApprovalMessages.ReasonInput);

        Assert.Equal("complete", Assert.Single(await s.EventsAsync(run, EventType.Overridden)).Get("action"));
        var resolved = Assert.Single(await s.EventsAsync(run, EventType.Resolved));
        Assert.Equal("alice", resolved.Actor);
        Assert.Equal(TicketStatus.Resolved, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Without_a_reason_nothing_changes_and_the_agent_is_told_why(string reason)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await PressAsync(s, "alice", OverrideActions.Cancel, run, reason);

        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Contains("A reason is required to cancel the run; nothing was changed.", reply.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
    }

    [Theory]
    [InlineData("erin")] // the requester
    [InlineData("dave")] // the approver
    [InlineData("sam")] // an agent of another team
    public async Task Anyone_but_an_agent_of_the_team_is_refused_privately_and_the_attempt_is_audited(string person)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await PressAsync(s, person, OverrideActions.Complete, run, "just do it");

        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Contains("Only agents of the IT team can override automation", reply.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.Overridden));
        var refused = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.OverrideRefused);
        Assert.Equal(person, refused.Actor);
        Assert.Equal("complete", refused.Data["action"]);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
    }

    [Fact]
    public async Task A_press_on_an_old_card_after_the_run_ended_changes_nothing_and_the_check_says_so()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var check = s.App.Get<OverrideActionHandler>();
        var press = Action("alice", OverrideActions.Complete, OverrideActions.Value(run.Ticket, run.Id), "late");
        Assert.Null(await check.WhyStaleAsync(press, CancellationToken.None));
        await s.CommandAsync("alice", "it", $"override {run.Ticket} cancel handled on a call");

        var turn = await PressAsync(s, "alice", OverrideActions.Complete, run, "late");

        Assert.Contains($"The workflow run {run.Id} on {run.Ticket} is not running any more; nothing was changed.", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Single(await s.EventsAsync(run, EventType.Overridden));
        Assert.Empty(await s.EventsAsync(run, EventType.Resolved));
        Assert.Contains("is not running any more", await check.WhyStaleAsync(press, CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("does not name a ticket and its run", await check.WhyStaleAsync(press with { Value = "IT-1" }, CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("There is no ticket IT-999", await check.WhyStaleAsync(press with { Value = "IT-999|r-x" }, CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_press_that_runs_again_after_a_stop_overrides_once_and_answers_as_the_first_run_would_have()
    {
        // Run again, the press found the run already ended and answered that it was not running any more.
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var press = Action("alice", OverrideActions.Cancel, OverrideActions.Value(run.Ticket, run.Id), "handled on a call") with { ReceivedAt = s.Now };
        var router = s.App.Get<ConversationRouter>();

        var first = await router.RouteAsync(press);
        var replayed = await router.RouteAsync(press);

        Assert.Single(await s.EventsAsync(run, EventType.Overridden));
        Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.Overridden);
        Assert.Contains("cancelled the running workflow: handled on a call", replayed.Replies[0].Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(first.Replies.Select(r => (r.Conversation, r.Card.ToPlainText())), replayed.Replies.Select(r => (r.Conversation, r.Card.ToPlainText())));
    }

    private static Task<Turn> PressAsync(ApprovalScenario s, string person, string actionId, WorkflowRun run, string reason, string inputId = QueueCards.InputId) =>
        s.App.Get<ConversationRouter>().RouteAsync(Action(person, actionId, OverrideActions.Value(run.Ticket, run.Id), reason, inputId) with { ReceivedAt = s.Now });

    private static CardAction Action(string person, string actionId, string value, string reason, string inputId = QueueCards.InputId) => new()
    {
        PlatformId = $"web:{Guid.NewGuid():N}",
        Conversation = new ConversationRef(Channels.Web, "queue-it", $"queue:{person}"),
        FromPlatformUserId = person,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        ActionId = actionId,
        Value = value,
        Inputs = new Dictionary<string, string> { [inputId] = reason },
    };
}
