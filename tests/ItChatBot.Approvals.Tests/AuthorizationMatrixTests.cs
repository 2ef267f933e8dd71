using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>
/// Who may open the gate of the temporary-admin workflow (approvers: manager, group:it-security), pressed through
/// the real router; the gated side effect is erin's membership of app-github-admins in the embedded directory.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    [Theory]
    [InlineData("erin", "You asked for this, so you cannot approve it yourself.")] // the requester
    [InlineData("frank", "Only Erin Employee's manager")] // another employee
    [InlineData("alice", "Only Erin Employee's manager")] // an IT agent
    [InlineData("carol", "Only Erin Employee's manager")] // a lead
    public async Task Anyone_but_an_authorized_approver_is_refused_privately_audited_and_nothing_happens(string person, string explanation)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));

        var turn = await s.PressAsync(person, run);

        var reply = Assert.Single(turn.Replies);
        Assert.Equal(person, reply.EphemeralTo);
        Assert.Contains(explanation, reply.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
        var refused = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.ApprovalRefused);
        Assert.Equal(person, refused.Actor);
        Assert.Equal(ApprovalGate.Approved, refused.Get("attempted"));
    }

    [Fact]
    public async Task The_manager_approves_every_copy_is_updated_and_the_gated_step_runs()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var thread = await s.MessageAsync(ApprovalMessages.ThreadCopyId(run.Id, 0));
        var direct = await s.MessageAsync(ApprovalMessages.DirectCopyId(run.Id, 0, "dave"));
        Assert.NotNull(thread);
        Assert.NotNull(direct);
        Assert.Equal("dm-dave", direct.Message.Conversation.ConversationId);
        Assert.Contains(direct.Message.Card.Buttons, b => b.ActionId == ApprovalMessages.Approve);

        var turn = await s.PressAsync("dave", run, reason: "needed for the release");

        Assert.Contains("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        var updates = turn.Replies.Where(r => r.UpdateOf is not null).ToList();
        var notified = Assert.Single(await s.EventsAsync(run, EventType.ApprovalRequested)).Get(ApprovalHistory.Notified)!.Split(',');
        Assert.Contains("sam", notified);
        Assert.Equal(
            notified.Select(p => ApprovalMessages.DirectCopyId(run.Id, 0, p)).Append(thread.Message.Id).Order(StringComparer.Ordinal),
            updates.Select(u => u.UpdateOf!).Order(StringComparer.Ordinal));
        Assert.All(updates, u =>
        {
            Assert.Empty(u.Card.Buttons);
            Assert.Contains("Approved by: Dave Manager", u.Card.ToPlainText(), StringComparison.Ordinal);
            Assert.Contains("Reason: needed for the release", u.Card.ToPlainText(), StringComparison.Ordinal);
            Assert.Contains($"Next: done: {run.Ticket} is resolved.", u.Card.ToPlainText(), StringComparison.Ordinal);
        });
        var decided = Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal("dave", decided.Actor);
        var audit = await s.AuditAsync(run.Ticket);
        Assert.Contains(audit, e => e.Action == AuditActions.ApprovalRequested && e.Get("notified") == string.Join(",", notified));
        Assert.Contains(audit, e => e.Action == AuditActions.ApprovalDecided && e.Actor == "dave" && e.Get("reason") == "needed for the release");
        await s.App.Get<EventAuditProjector>().CatchUpAsync();
        Assert.Contains(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.AccessGranted && e.Get("resource") == "github");
        Assert.True((await s.App.Get<IAuditLog>().VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_member_of_the_approver_group_may_approve()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await s.PressAsync("sam", run);

        Assert.Contains("erin", s.Admins);
        Assert.Equal("sam", Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided)).Actor);
    }

    [Fact]
    public async Task A_delegate_may_approve_while_the_manager_is_away_and_not_otherwise()
    {
        var away = new Dictionary<string, string?>
        {
            ["Approvals:Delegations:0:Manager"] = "dave",
            ["Approvals:Delegations:0:Delegate"] = "frank",
            ["Approvals:Delegations:0:From"] = "2026-03-01T00:00:00Z",
            ["Approvals:Delegations:0:To"] = "2026-03-09T00:00:00Z",
            ["Approvals:Delegations:1:Manager"] = "dave",
            ["Approvals:Delegations:1:Delegate"] = "hana",
            ["Approvals:Delegations:1:From"] = "2026-01-01T00:00:00Z",
            ["Approvals:Delegations:1:To"] = "2026-01-09T00:00:00Z",
        };
        using var s = new ApprovalScenario(away);
        var run = await s.StartAsync();
        Assert.NotNull(await s.MessageAsync(ApprovalMessages.DirectCopyId(run.Id, 0, "frank")));

        var stale = await s.PressAsync("hana", run);
        Assert.Equal("hana", Assert.Single(stale.Replies).EphemeralTo);
        Assert.DoesNotContain("erin", s.Admins);

        await s.PressAsync("frank", run);
        Assert.Contains("erin", s.Admins);
    }

    [Fact]
    public async Task An_expiry_the_engine_notices_before_the_sweep_is_still_recorded_once()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        s.App.Clock.Advance(TimeSpan.FromHours(73));
        await s.App.Get<ItChatBot.Core.Workflows.IWorkflowRunner>().ContinueAsync(run.Id);
        await s.App.Get<ApprovalExpiryService>().SweepAsync();

        Assert.Single(await s.EventsAsync(run, EventType.ApprovalExpired));
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Fact]
    public async Task An_expiry_recorded_by_a_pass_that_stopped_before_moving_the_run_on_is_finished_by_the_next_pass()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        // What a pass leaves when it stops between recording the expiry and moving the run on (the clock is not past
        // the expiry, so only the recorded event says the approval expired).
        await s.App.Get<Core.Storage.IEventLog>().AppendAsync([TicketEvent.New(run.Ticket, EventType.ApprovalExpired, s.Now, "system", ActorKind.System,
            new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Step] = "0" }, $"{WorkflowKeys.Step(run.Id, 0)}:approval-expired")]);
        await s.App.Get<ApprovalExpiryService>().SweepAsync();

        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        Assert.Equal(TicketStatus.Resolved, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);
        Assert.Single(await s.EventsAsync(run, EventType.ApprovalExpired));
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Fact]
    public async Task After_expiry_nobody_can_approve_and_the_requester_is_told()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        s.App.Clock.Advance(TimeSpan.FromHours(37));
        var half = await s.App.Get<ApprovalExpiryService>().SweepAsync();
        var reminder = (await s.MessageAsync(ApprovalMessages.ReminderId(run.Id, 0, "dave")))!.Message.Card!;
        Assert.StartsWith("Reminder: approval needed", reminder.Title, StringComparison.Ordinal);
        // Named as the first copies named them: people by their directory names, the group as its members.
        Assert.Equal("Erin Employee", reminder.Fields.Single(f => f.Label == "Requested by").Value);
        Assert.Equal("Dave Manager, members of Security", reminder.Fields.Single(f => f.Label == "Who can approve").Value);

        // The host's own approvals worker wakes on the same fake clock and may have sent the reminder first; then its
        // audit entry is written just after the message, so give it a moment rather than race it.
        var audited = false;
        for (var attempt = 0; attempt < 50 && !audited; attempt++)
        {
            audited = (await s.AuditAsync(run.Ticket)).Any(e => e.Action == AuditActions.ApprovalReminded);
            if (!audited)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(audited, "the reminder was never audited");

        s.App.Clock.Advance(TimeSpan.FromHours(36));
        await s.App.Get<ApprovalExpiryService>().SweepAsync();
        var turn = await s.PressAsync("dave", run);

        Assert.True(half.Reminded <= 1);
        Assert.Contains("expired", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Single(await s.EventsAsync(run, EventType.ApprovalExpired));
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        var ticket = await s.App.Get<TicketService>().GetAsync(run.Ticket);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        var toRequester = (await s.App.Get<Core.Storage.IOutbox>().ListConversationAsync(Channels.Web, "dm-erin", 0)).Select(e => e.Message.Card.ToPlainText());
        Assert.Contains(toRequester, t => t.Contains("Nobody decided on the approval in time", StringComparison.Ordinal));
        Assert.Contains(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.ApprovalExpired);
    }

    [Fact]
    public async Task A_run_stopped_between_resolving_its_expired_ticket_and_saving_its_end_is_finished_by_the_next_sweep()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        s.App.Clock.Advance(TimeSpan.FromHours(73));
        await s.App.Get<ApprovalExpiryService>().SweepAsync();
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));

        // The state a pass leaves when it stops after writing the run's end (ticket resolved, requester told) and
        // before saving the run; a second pass racing the first sees the same until the first one saves.
        var store = s.App.Get<WorkflowRunStore>();
        await store.SaveAsync((await store.GetAsync(run.Id))! with { Status = WorkflowRunStatus.WaitingForApproval });
        Assert.Equal(TicketStatus.Resolved, (await s.App.Get<TicketService>().GetAsync(run.Ticket)).Status);

        await s.App.Get<ApprovalExpiryService>().SweepAsync();

        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        Assert.Equal("approval expired", (await store.GetAsync(run.Id))!.Error);
        Assert.Single(await s.EventsAsync(run, EventType.WorkflowCompleted));
        var toRequester = (await s.App.Get<Core.Storage.IOutbox>().ListConversationAsync(Channels.Web, "dm-erin", 0)).Select(e => e.Message.Card.ToPlainText());
        Assert.Single(toRequester, t => t.Contains("Nobody decided on the approval in time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approval_past_its_expiry_is_closed_by_the_gate_even_before_the_expiry_service_runs()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        s.App.Clock.Advance(TimeSpan.FromHours(72));

        var turn = await s.PressAsync("dave", run);

        Assert.Contains("expired", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("erin", s.Admins);
    }

    [Fact]
    public async Task A_double_click_records_one_decision_and_tells_the_approver_it_was_already_given()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        await s.PressAsync("dave", run);
        var second = await s.PressAsync("dave", run);

        Assert.Contains("already given by Dave Manager", Assert.Single(second.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Contains("erin", s.Admins);
    }

    [Fact]
    public async Task Approve_and_deny_racing_record_exactly_one_decision_and_the_side_effect_follows_it()
    {
        for (var round = 0; round < 3; round++)
        {
            using var s = new ApprovalScenario();
            var run = await s.StartAsync();

            await Task.WhenAll(Task.Run(() => s.PressAsync("dave", run, approve: true)), Task.Run(() => s.PressAsync("sam", run, approve: false)));

            var decided = Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
            var approved = decided.Get(EventData.Decision) == ApprovalGate.Approved;
            Assert.Equal(approved, s.Admins.Contains("erin"));
            Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        }
    }

    [Fact]
    public async Task A_denial_stops_the_run_and_nothing_is_granted()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await s.PressAsync("dave", run, approve: false, reason: "not this quarter");

        Assert.DoesNotContain("erin", s.Admins);
        Assert.All(turn.Replies.Where(r => r.UpdateOf is not null), u => Assert.Contains("Next: the request stops", u.Card.ToPlainText(), StringComparison.Ordinal));
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
    }

    [Fact]
    public async Task Multi_stage_needs_the_manager_then_the_application_owner()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync("two-stage-admin");

        var early = await s.PressAsync("sarah", run, step: 1);
        Assert.Contains("No approval was requested for step 1", Assert.Single(early.Replies).Card.ToPlainText(), StringComparison.Ordinal);

        var manager = await s.PressAsync("dave", run, step: 0);
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
        Assert.NotNull(await s.MessageAsync(ApprovalMessages.DirectCopyId(run.Id, 1, "sarah")));
        // The manager's card says where the run got to (it said "continues automatically" while it waited for the owner).
        Assert.Contains("Next: the request now waits for its next approval.", manager.Replies.First(r => r.UpdateOf is not null).Card.ToPlainText(), StringComparison.Ordinal);

        var managerAgain = await s.PressAsync("dave", run, step: 1);
        Assert.Equal("dave", Assert.Single(managerAgain.Replies).EphemeralTo);
        Assert.DoesNotContain("erin", s.Admins);

        var owner = await s.PressAsync("sarah", run, step: 1);
        Assert.Contains("erin", s.Admins);
        // This workflow has no resolve step: its ticket stays open for the team once the grant is made.
        Assert.Contains("Next: the automated steps are done; the IT team finishes the request.", owner.Replies.First(r => r.UpdateOf is not null).Card.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_all_of_group_needs_every_member()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync("board-admin");

        var first = await s.PressAsync("sam", run);
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Contains("waiting for the other required approvals", first.Replies.First(r => r.UpdateOf is not null).Card.ToPlainText(), StringComparison.Ordinal);
        var again = await s.PressAsync("sam", run);
        Assert.Contains("already decided", Assert.Single(again.Replies).Card.ToPlainText(), StringComparison.Ordinal);

        await s.PressAsync("carol", run);
        Assert.Contains("erin", s.Admins);
    }
}
