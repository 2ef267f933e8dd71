using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>Every command and button that can move a run, tried without an approval: the grant never happens.</summary>
public sealed class NoPathAroundTheGateTests
{
    [Fact]
    public async Task Resuming_the_run_again_and_again_does_not_pass_the_gate()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            await s.App.Get<IWorkflowRunner>().ContinueAsync(run.Id);
            await s.App.Get<WorkflowEngine>().ResumeDueAsync();
        }

        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
    }

    [Theory]
    [InlineData("frank")]
    [InlineData("erin")]
    [InlineData("alice")]
    public async Task An_approval_written_to_the_log_by_someone_unauthorized_does_not_open_the_gate(string forger)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await s.App.EventLog.AppendAsync([TicketEvent.New(run.Ticket, EventType.ApprovalDecided, s.Now, forger, ActorKind.Approver,
            new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Step] = "0", [EventData.Decision] = ApprovalGate.Approved })]);
        await s.App.Get<IWorkflowRunner>().ContinueAsync(run.Id);

        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
    }

    [Fact]
    public async Task A_button_value_pointing_at_the_gated_step_itself_is_refused()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await s.PressAsync("dave", run, step: 1);

        Assert.Contains("No approval was requested for step 1", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Theory]
    [InlineData("wf.approve")]
    [InlineData("approval.grant")]
    [InlineData("ticket.approve")]
    public async Task Other_button_ids_are_not_known(string actionId)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await s.App.Get<ConversationRouter>().RouteAsync(new CardAction
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, "dm-dave"),
            FromPlatformUserId = "dave",
            ReceivedAt = s.Now,
            ActionId = actionId,
            Value = ApprovalMessages.Value(run.Id, 0),
        });

        Assert.Contains("is not a button this service knows", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Fact]
    public async Task Withdrawing_the_request_ends_the_run_without_the_grant()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await s.App.Get<ConversationRouter>().RouteAsync(new CardAction
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, "dm-erin"),
            FromPlatformUserId = "erin",
            ReceivedAt = s.Now,
            ActionId = TicketActions.Withdraw,
            Value = run.Ticket,
        });
        await s.PressAsync("dave", run);

        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
    }

    [Theory]
    [InlineData("erin")]
    [InlineData("dave")]
    [InlineData("sam")]
    public async Task Only_agents_of_the_team_may_override_and_a_refusal_is_audited(string person)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await s.CommandAsync(person, "it", $"override {run.Ticket} complete just do it");

        Assert.Contains("Only agents of the IT team can override", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.Overridden));
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Contains(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.OverrideRefused && e.Actor == person);
    }

    [Fact]
    public async Task An_agent_completes_by_hand_the_run_stops_and_no_automated_grant_follows()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await s.CommandAsync("alice", "it", $"override {run.Ticket} complete granted by hand in the console");

        Assert.Contains("completed the request by hand: granted by hand in the console", turn.Replies[0].Card.ToPlainText(), StringComparison.Ordinal);
        var overridden = Assert.Single(await s.EventsAsync(run, EventType.Overridden));
        Assert.Equal("alice", overridden.Actor);
        Assert.Equal("granted by hand in the console", overridden.Get(EventData.Reason));
        Assert.Equal(TicketStatus.Resolved, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
        Assert.DoesNotContain("erin", s.Admins);
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.Overridden);
        Assert.Equal("complete", audited.Get("action"));
    }

    [Fact]
    public async Task After_an_agent_cancels_a_late_approval_runs_nothing()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await s.CommandAsync("alice", "it", $"override {run.Ticket} cancel handled on a call");
        await s.PressAsync("dave", run);

        Assert.Equal(TicketStatus.InProgress, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(run));
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Theory]
    [InlineData("override", "Name the ticket.")]
    [InlineData("override IT-x cancel because", "'IT-x' is not a ticket key")]
    [InlineData("override IT-1 stop because", "'stop' is not cancel or complete.")]
    [InlineData("override IT-1 cancel", "A reason is required.")]
    [InlineData("override IT-99 cancel because", "There is no ticket IT-99.")]
    public async Task A_malformed_override_names_the_problem_and_changes_nothing(string text, string problem)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var before = (await s.App.EventLog.ReadTicketAsync(run.Ticket)).Count;

        var turn = await s.CommandAsync("alice", "it", text);

        var reply = Assert.Single(turn.Replies).Card.ToPlainText();
        Assert.Contains(problem, reply, StringComparison.Ordinal);
        Assert.Equal(before, (await s.App.EventLog.ReadTicketAsync(run.Ticket)).Count);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
    }
}
