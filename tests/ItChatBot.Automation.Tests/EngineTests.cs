using ItChatBot.Automation.Steps;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Tests;

public class EngineTests : IAsyncLifetime
{
    private AutomationHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StartHarnessAsync();

    /// <summary>The harness each test runs on: the LiteDB file here, PostgreSQL in the subclass.</summary>
    protected virtual Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null) =>
        AutomationHarness.StartAsync(settings, workflowsFolder);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Password_reset_runs_to_the_end_and_the_ticket_is_AI_resolved()
    {
        var run = await _harness.StartAsync("password-reset");

        Assert.Equal(WorkflowRunStatus.Completed, run.Status);
        var events = await _harness.EventsAsync(run.Ticket);
        Assert.Equal(
            [EventType.Created, EventType.WorkflowStarted, EventType.StatusChanged,
             EventType.WorkflowStepStarted, EventType.WorkflowStepCompleted,
             EventType.WorkflowStepStarted, EventType.Responded, EventType.WorkflowStepCompleted,
             EventType.WorkflowStepStarted, EventType.WorkflowStepCompleted, EventType.WorkflowCompleted, EventType.Resolved],
            events.Select(e => e.Type));
        Assert.All(events.Skip(1), e => Assert.Equal(ActorKind.Automation, e.ActorKind));
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
        Assert.Equal(1, _harness.Embedded.ResetCount("erin"));
        var messages = await _harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0);
        var told = Assert.Single(messages);
        Assert.Contains("reset link was sent to erin@example.com", told.Message.Card.Text, StringComparison.Ordinal);
        Assert.Equal("m1", told.Message.Conversation.ThreadId);
    }

    [Fact]
    public async Task A_run_started_with_a_receipt_sends_the_receipt_before_its_own_messages()
    {
        var ticket = await _harness.OpenTicketAsync("password-reset");

        var run = await _harness.Engine.StartAsync(
            _harness.Get<WorkflowCatalog>().Find("password-reset")!, ticket, new Dictionary<string, string>(), announce: [Receipt(ticket, "receipt-1")]);

        Assert.Equal(WorkflowRunStatus.Completed, run.Status);
        var messages = await _harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0);
        Assert.Equal(2, messages.Count);
        Assert.Equal("receipt-1", messages[0].Message.Id);
        Assert.Contains("reset link was sent to erin@example.com", messages[1].Message.Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_and_its_receipt_are_stored_in_one_write_so_a_failed_write_leaves_neither()
    {
        // The outbox cannot take the receipt (it names no conversation to send to), so the write that saves the run with it
        // fails: as a stop before that write would, it leaves no run and no receipt behind.
        var ticket = await _harness.OpenTicketAsync("password-reset");
        await _harness.Get<IOutbox>().EnqueueAsync([Receipt(ticket, "earlier")]);

        await Assert.ThrowsAnyAsync<Exception>(() => _harness.Engine.StartAsync(
            _harness.Get<WorkflowCatalog>().Find("password-reset")!, ticket, new Dictionary<string, string>(), announce: [Receipt(ticket, "fresh"), Receipt(ticket, "broken") with { Conversation = null! }]));

        Assert.Empty(await _harness.Get<IWorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.DoesNotContain(await _harness.EventsAsync(ticket.Key), e => e.Type == EventType.WorkflowStarted);
        Assert.Single(await _harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0));
        Assert.Equal(0, _harness.Embedded.ResetCount("erin"));
    }

    private OutboundMessage Receipt(Ticket ticket, string id) => new()
    {
        Id = id,
        Conversation = new ConversationRef("web", "dm-erin", "m1"),
        Card = new Card { Title = ticket.Key, Text = "I'm handling this." },
        Ticket = ticket.Key,
        CreatedAt = _harness.Clock.GetUtcNow(),
    };

    [Fact]
    public async Task Two_runs_started_at_once_on_one_ticket_each_get_an_id_of_their_own()
    {
        // Both starts count the ticket's runs before either is stored; before TryAddAsync both took r-IT-n-1 and the
        // second save replaced the first run.
        var ticket = await _harness.OpenTicketAsync("app-access");
        var workflow = _harness.Get<WorkflowCatalog>().Find("app-access")!;

        var started = await Task.WhenAll(
            _harness.Engine.StartAsync(workflow, ticket, new Dictionary<string, string> { ["application"] = "github" }),
            _harness.Engine.StartAsync(workflow, ticket, new Dictionary<string, string> { ["application"] = "jira" }));

        Assert.Equal([$"r-{ticket.Key}-1", $"r-{ticket.Key}-2"], started.Select(r => r.Id).Order(StringComparer.Ordinal));
        var stored = await _harness.Get<IWorkflowRunStore>().ForTicketAsync(ticket.Key);
        Assert.Equal(["github", "jira"], stored.Select(r => r.Slots["application"]).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal(WorkflowRunStatus.WaitingForApproval, r.Status));
    }

    [Fact]
    public async Task A_gated_step_waits_until_the_manager_approves()
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "github" });

        Assert.Equal(WorkflowRunStatus.WaitingForApproval, run.Status);
        Assert.Equal(TicketStatus.PendingApproval, (await _harness.Tickets.GetAsync(run.Ticket)).Status);
        var requested = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.ApprovalRequested);
        Assert.Equal("dave", requested.Get(EventData.Approver));
        Assert.Empty(_harness.Embedded.Members("app-github-users"));
        var card = (await _harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0)).Single(m => m.Message.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal));
        Assert.Equal([ApprovalCards.Approve, ApprovalCards.Deny], card.Message.Card.Buttons.Select(b => b.ActionId));

        await _harness.Engine.ContinueAsync(run.Id);
        Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.ApprovalRequested);

        var gate = _harness.Get<IApprovalGate>();
        await gate.DecideAsync(Request(run, 1), "dave", approved: true, "ok");
        await _harness.Engine.ContinueAsync(run.Id);

        Assert.Equal(["erin"], _harness.Embedded.Members("app-github-users"));
        Assert.Equal(WorkflowRunStatus.Completed, (await _harness.RunAsync(run.Id)).Status);
        var events = await _harness.EventsAsync(run.Ticket);
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
        Assert.Single(events, e => e.Type == EventType.ApprovalDecided && e.ActorKind == ActorKind.Approver);
    }

    [Theory]
    [InlineData("erin", "You asked for this")]
    [InlineData("frank", "Only Erin Employee's manager")]
    [InlineData("sam", "Only Erin Employee's manager")]
    public async Task Nobody_but_an_authorized_approver_may_decide(string who, string why)
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "jira" });
        var gate = _harness.Get<IApprovalGate>();

        var refused = await Assert.ThrowsAsync<DomainException>(() => gate.DecideAsync(Request(run, 1), who, approved: true, null));

        Assert.StartsWith(why, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.ApprovalDecided);
    }

    [Fact]
    public async Task The_engine_checks_the_gate_itself_so_a_decision_by_someone_unauthorized_opens_nothing()
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "figma" });

        // Written straight to the log, past any UI check: the requester's colleague "approves".
        await _harness.Log.AppendAsync([TicketEvent.New(run.Ticket, EventType.ApprovalDecided, _harness.Clock.GetUtcNow(), "frank", ActorKind.Approver,
            new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Step] = "1", [EventData.Decision] = "approved" })]);
        await _harness.Engine.ContinueAsync(run.Id);
        await _harness.Engine.ResumeDueAsync();

        Assert.Empty(_harness.Embedded.Members("app-figma-users"));
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, (await _harness.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task A_member_of_the_approver_group_may_approve()
    {
        var run = await _harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "github", ["duration"] = "4h" });

        await _harness.Get<IApprovalGate>().DecideAsync(Request(run, 0), "sam", approved: true, null);
        await _harness.Engine.ContinueAsync(run.Id);

        Assert.Equal(["erin"], _harness.Embedded.Members("app-github-admins"));
        var granted = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessGranted);
        Assert.Equal("sam", granted.Get(EventData.Approver));
    }

    [Fact]
    public async Task A_denial_ends_the_run_without_the_side_effect_and_tells_the_requester()
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "salesforce" });

        await _harness.Get<IApprovalGate>().DecideAsync(Request(run, 1), "dave", approved: false, "not needed");
        await _harness.Engine.ContinueAsync(run.Id);

        Assert.Empty(_harness.Embedded.Members("app-salesforce-users"));
        var events = await _harness.EventsAsync(run.Ticket);
        Assert.Equal("denied", Assert.Single(events, e => e.Type == EventType.WorkflowCompleted).Get(EventData.Outcome));
        Assert.Contains(events, e => e.Type == EventType.Resolved && e.IsAutomation);
        Assert.DoesNotContain(events, e => e.Type == EventType.WorkflowStepCompleted && e.GetInt(EventData.Step) >= 1);
        var messages = await _harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0);
        Assert.Contains(messages, m => m.Message.Card.Text!.Contains("Dave Manager did not approve", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_approval_ends_the_run()
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "zoom" });
        await _harness.Log.AppendAsync([TicketEvent.New(run.Ticket, EventType.ApprovalExpired, _harness.Clock.GetUtcNow(), "system", ActorKind.System,
            new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Step] = "1" })]);

        await _harness.Engine.ContinueAsync(run.Id);

        Assert.Equal("expired", Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.WorkflowCompleted).Get(EventData.Outcome));
        Assert.Empty(_harness.Embedded.Members("app-zoom-users"));
    }

    [Fact]
    public async Task A_run_stops_when_an_agent_resolves_the_ticket_meanwhile()
    {
        var run = await _harness.StartAsync("app-access", new Dictionary<string, string> { ["application"] = "tableau" });
        await _harness.Tickets.ChangeAsync(run.Ticket, (t, now) => [t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, "alice", ActorKind.Agent))]);
        await _harness.Get<IApprovalGate>().DecideAsync(Request(run, 1), "dave", approved: true, null);

        await _harness.Engine.ContinueAsync(run.Id);

        Assert.Equal(WorkflowRunStatus.Cancelled, (await _harness.RunAsync(run.Id)).Status);
        Assert.Empty(_harness.Embedded.Members("app-tableau-users"));
    }

    [Fact]
    public async Task A_required_slot_missing_at_run_time_fails_the_run_and_hands_it_to_the_team()
    {
        var run = await _harness.StartAsync("app-access");

        Assert.Equal(WorkflowRunStatus.Failed, run.Status);
        var events = await _harness.EventsAsync(run.Ticket);
        var failed = Assert.Single(events, e => e.Type == EventType.WorkflowFailed);
        Assert.Contains("{{application.name}} has no value", failed.Get(EventData.Error), StringComparison.Ordinal);
        var escalated = Assert.Single(events, e => e.Type == EventType.Escalated);
        Assert.Equal((ActorKind.Automation, "L1", "IT"), (escalated.ActorKind, escalated.Get(EventData.ToTier), escalated.Get(EventData.ToTeam)));
        // The queue's own card says what failed (its publisher posts it); the engine posts no notice of its own beside it.
        Assert.Empty(await _harness.Get<IOutbox>().ListConversationAsync("web", "queue-it", 0));
        Assert.StartsWith("the *app-access* workflow failed at step 1: {{application.name}} has no value", ItChatBot.Core.Queues.QueueCards.AutomationFailure(events), StringComparison.Ordinal);
        // Nobody is working on it any more: it waits in the queue as Open, not In progress as the run had it.
        var ticket = await _harness.Tickets.GetAsync(run.Ticket);
        Assert.Equal((TicketStatus.Open, null), (ticket.Status, ticket.Assignee));
        Assert.Equal(nameof(TicketStatus.Open), events.Last(e => e.Type == EventType.StatusChanged).Get(EventData.Status));
    }

    [Fact]
    public async Task The_escalation_of_a_failed_run_says_which_tier_and_team_it_came_from_as_the_escalate_verb_does()
    {
        var run = await _harness.StartAsync("app-access");

        var escalated = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.Escalated);
        Assert.Equal(("L1", "IT", "L1", "IT"),
            (escalated.Get(EventData.FromTier), escalated.Get(EventData.FromTeam), escalated.Get(EventData.ToTier), escalated.Get(EventData.ToTeam)));
        Assert.Equal(run.Id, escalated.Get(EventData.Run));
    }

    [Fact]
    public async Task A_directory_step_removes_a_group_membership()
    {
        using var folder = new ItChatBot.Testing.TempFolder();
        File.WriteAllText(folder.File("leave.yaml"), """
            id: leave-group
            team: IT
            category: access
            examples: [take me off the mailing group]
            steps:
              - kind: directory
                action: remove_group
                group: all-staff
              - kind: resolve
            """);
        await using var harness = await StartHarnessAsync(workflowsFolder: folder.Path);
        await harness.Embedded.AddToGroupAsync("erin", "all-staff");
        await harness.Embedded.AddToGroupAsync("dave", "all-staff");

        var run = await harness.StartAsync("leave-group");

        Assert.Equal(WorkflowRunStatus.Completed, run.Status);
        Assert.Equal(["dave"], harness.Embedded.Members("all-staff"));
        var done = (await harness.EventsAsync(run.Ticket)).First(e => e.Type == EventType.WorkflowStepCompleted);
        Assert.Equal(("directory", "all-staff"), (done.Get("kind"), done.Get("out.group")));
    }

    private static ApprovalRequest Request(WorkflowRun run, int step) =>
        new(run.Ticket, run.Id, step, run.Requester, step == 0 ? new ApproverSpec(true, "Security") : ApproverSpec.ManagerOnly);
}
