using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>A stop after <c>StartAsync</c> saved the run and before anything else: the resumer records the run's start, once.</summary>
public sealed class RunStartRecoveryTests
{
    [Fact]
    public async Task A_run_saved_before_a_stop_gets_its_WorkflowStarted_from_the_resumer_once_and_an_agent_can_override_it()
    {
        using var s = new ApprovalScenario();
        var ticket = await s.App.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", "erin", "admin on GitHub please",
            new ConversationRef(Channels.Web, "dm-erin", "m-1")));
        var startedAt = s.Now;
        var saved = new WorkflowRun
        {
            Id = $"r-{ticket.Key}-1",
            Workflow = "temporary-admin",
            Ticket = ticket.Key,
            Requester = "erin",
            Slots = new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" },
            StartedAt = startedAt,
            DueAt = startedAt,
        };
        Assert.True(await s.App.Get<WorkflowRunStore>().TryAddAsync(saved, [])); // what StartAsync writes first; the process stops here
        s.App.Clock.Advance(TimeSpan.FromMinutes(5));

        await s.App.Get<WorkflowEngine>().ResumeDueAsync();
        await s.App.Get<WorkflowEngine>().ResumeDueAsync();

        var started = Assert.Single(await s.EventsAsync(saved, EventType.WorkflowStarted));
        Assert.Equal((saved.Id, "temporary-admin", startedAt), (started.Get(EventData.Run), started.Get(EventData.Workflow), started.At));
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(saved));
        Assert.Equal(saved.Id, WorkflowOverride.ActiveRun(await s.App.EventLog.ReadTicketAsync(ticket.Key)));

        var turn = await s.CommandAsync("alice", "it", $"override {ticket.Key} cancel handled on a call");

        Assert.Contains("cancelled the running workflow: handled on a call", turn.Replies[0].Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(saved.Id, Assert.Single(await s.EventsAsync(saved, EventType.Overridden)).Get(EventData.Run));
        Assert.Equal(WorkflowRunStatus.Cancelled, await s.StatusAsync(saved));
    }

    [Fact]
    public async Task A_normal_start_records_one_WorkflowStarted_before_the_first_step()
    {
        using var s = new ApprovalScenario();

        var run = await s.StartAsync();
        await s.App.Get<WorkflowEngine>().ResumeDueAsync();

        var events = await s.App.EventLog.ReadTicketAsync(run.Ticket);
        var started = Assert.Single(events, e => e.Type == EventType.WorkflowStarted);
        Assert.True(events.ToList().IndexOf(started) < events.ToList().FindIndex(e => e.Type == EventType.WorkflowStepStarted));
        Assert.Single(events, e => e.Type == EventType.StatusChanged && e.Get(EventData.Status) == nameof(TicketStatus.InProgress) && e.ActorKind == ActorKind.Automation);
    }
}
