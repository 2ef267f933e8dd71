using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>The default IT team: Europe/London (GMT in early March), Mon-Fri 09:00-17:00, P1 15 min / 4 h, P3 4 h / 24 h.</summary>
public sealed class SlaMonitorTests
{
    private static async Task<List<string>> QueueThreadTextsAsync(QueueApp app, string key) =>
        [.. (await app.ConversationAsync("queue-it", "alice")).Where(m => m.Thread == QueueIds.WebThread(key, "IT") && m.UpdateOf is null).Select(m => m.Text)];

    [Fact]
    public async Task The_queue_is_warned_at_75_percent_and_at_breach_once_each()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        Assert.Equal("P1", ticket.Priority);

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, (await app.MonitorAsync()).Warnings);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await app.MonitorAsync()).Warnings);
        Assert.Equal(0, (await app.MonitorAsync()).Warnings);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var breach = await app.MonitorAsync();
        Assert.Equal((0, 1), (breach.Warnings, breach.Breaches));
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal((0, 0), ((await app.MonitorAsync()).Warnings, (await app.MonitorAsync()).Breaches));

        var texts = await QueueThreadTextsAsync(app, ticket.Key);
        Assert.Single(texts, t => t.Contains("Warning: 80% of the first response SLA (P1, 15m) is used: 3m left, due Mon 2 Mar 09:15", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("Breach: the first response SLA (P1, 15m) is *breached*: it was due Mon 2 Mar 09:15", StringComparison.Ordinal));
        // The card was brought up to date with the warnings.
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web") && m.Text.Contains("Response breached", StringComparison.Ordinal));

        // The resolution clock has its own warnings: 75% of 4 h is at 12:00.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await app.MonitorAsync()).Warnings);
        Assert.Single(await QueueThreadTextsAsync(app, ticket.Key), t => t.Contains("Warning: 75% of the resolution SLA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restarted_monitor_neither_warns_nor_reports_a_breach_twice()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        // Each restart is a new monitor over the same store: nothing of the passes before it is in memory.
        Task<SlaMonitorPass> RestartedAsync() =>
            Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<SlaMonitor>(app.Get<IServiceProvider>()).RunOnceAsync(CancellationToken.None);

        app.Clock.Advance(TimeSpan.FromMinutes(12));
        Assert.Equal(1, (await app.MonitorAsync()).Warnings);
        var afterWarning = await RestartedAsync();
        Assert.Equal((1, 0, 0), (afterWarning.Examined, afterWarning.Warnings, afterWarning.Breaches));

        app.Clock.Advance(TimeSpan.FromMinutes(4));
        var breach = await RestartedAsync();
        Assert.Equal((0, 1), (breach.Warnings, breach.Breaches));
        Assert.Equal(0, (await app.MonitorAsync()).Breaches);
        var afterBreach = await RestartedAsync();
        Assert.Equal((0, 0), (afterBreach.Warnings, afterBreach.Breaches));

        var texts = await QueueThreadTextsAsync(app, ticket.Key);
        Assert.Single(texts, t => t.Contains("Warning: 80% of the first response SLA", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("Breach: the first response SLA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_response_in_time_means_no_response_warning()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.SendAsync("alice", "Looking at it now", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var pass = await app.MonitorAsync();

        Assert.Equal((0, 0), (pass.Warnings, pass.Breaches));
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf is not null && m.Text.Contains("Response met", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_warning_while_waiting_on_the_requester_nor_over_the_weekend()
    {
        using var app = new QueueApp();
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 16, 50, 0, TimeSpan.Zero)); // Friday 16:50 London
        var (weekend, _) = await app.OpenAsync("the VPN is down for everyone");
        var (waiting, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it wait {waiting.Key}");

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.Zero)); // Monday 09:00
        Assert.Equal((0, 0), ((await app.MonitorAsync()).Warnings, (await app.MonitorAsync()).Breaches));

        // 10 business minutes on Friday, 2 on Monday: 12 of 15 = 80%.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await app.MonitorAsync()).Warnings);
        Assert.Single(await QueueThreadTextsAsync(app, weekend.Key), t => t.Contains("Warning", StringComparison.Ordinal));

        // By 12:00 the P3's 4-hour response clock would be at 79% had it run; it is paused, so no warning.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero));
        await app.MonitorAsync();
        Assert.Equal(TicketStatus.WaitingOnRequester, (await app.TicketAsync(waiting.Key)).Status);
        Assert.DoesNotContain(await QueueThreadTextsAsync(app, waiting.Key), t => t.Contains("Warning:", StringComparison.Ordinal) || t.Contains("Breach:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pass_reads_again_only_the_tickets_with_new_events_or_a_clock_that_may_have_reached_a_threshold()
    {
        using var app = new QueueApp();
        var (p1, _) = await app.OpenAsync("the VPN is down for everyone");
        var (p3, _) = await app.OpenAsync("my laptop screen is flickering");
        Assert.Equal(("P1", "P3"), (p1.Priority, p3.Priority));

        var first = await app.MonitorAsync();
        Assert.Equal((2, 2), (first.Open, first.Examined));

        // Nothing new, and no clock can have reached 75 % of its target yet: nobody's events are read.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal((2, 0), ((await app.MonitorAsync()).Open, (await app.MonitorAsync()).Examined));

        // A new event on the P3 brings it back; the P1 stays quiet.
        await app.SendAsync("alice", $"/it claim {p3.Key}");
        Assert.Equal(1, (await app.MonitorAsync()).Examined);

        // 11.25 of the P1's 15 response minutes is its warning point: at 11 minutes it cannot have been reached, at 12 it
        // may have, so the P1 is read again, and warned.
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var beforeWarning = await app.MonitorAsync();
        Assert.Equal((0, 0), (beforeWarning.Examined, beforeWarning.Warnings));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var warning = await app.MonitorAsync();
        Assert.Equal((1, 1), (warning.Examined, warning.Warnings));
    }

    [Fact]
    public async Task A_raised_priority_is_warned_against_its_new_target()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal((0, 0), ((await app.MonitorAsync()).Warnings, (await app.MonitorAsync()).Breaches));

        // 20 minutes used is past P1's 15-minute response target: breached from the moment it applies.
        await app.SendAsync("alice", $"/it priority {ticket.Key} P1");
        var pass = await app.MonitorAsync();

        Assert.Equal(1, pass.Breaches);
        Assert.Single(await QueueThreadTextsAsync(app, ticket.Key), t => t.Contains("first response SLA (P1, 15m) is *breached*: it was due Mon 2 Mar 09:20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_monitor_puts_a_ticket_on_the_queue_when_automation_gives_up_outside_a_turn()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        // Simulate a ticket automation took on: it is not in the queue while the workflow runs.
        var log = app.Get<ItChatBot.Core.Storage.IEventLog>();
        var store = app.Get<IQueueStore>();
        Assert.Single(await store.PostsOfAsync(ticket.Key));
        var (other, _) = await OpenWithWorkflowAsync(app);
        Assert.Empty(await store.PostsOfAsync(other));
        Assert.Equal(0, (await app.MonitorAsync()).Posted);

        var count = (await app.EventsAsync(other)).Count;
        await log.AppendAsync([TicketEvent.New(other, EventType.WorkflowFailed, app.Clock.GetUtcNow(), "automation", ActorKind.Automation,
            new Dictionary<string, string> { [EventData.Run] = "r1", [EventData.Error] = "directory unavailable" })], expected: new(other, count));

        Assert.Equal(1, (await app.MonitorAsync()).Posted);
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.Id == QueueIds.PostMessage(other, "IT", "web"));
        Assert.Equal(0, (await app.MonitorAsync()).Posted);
    }

    /// <summary>A ticket whose workflow started in the same append as its creation, as an automation handler would do.</summary>
    private static async Task<(string Key, int Events)> OpenWithWorkflowAsync(QueueApp app)
    {
        var log = app.Get<ItChatBot.Core.Storage.IEventLog>();
        var now = app.Clock.GetUtcNow();
        var key = "IT-50";
        var events = ItChatBot.Testing.Events.Of(key).Created(now, "P3", requester: "frank").WorkflowStarted(now).List;
        await log.AppendAsync(events, expected: new(key, 0));
        return (key, events.Count);
    }

    [Fact]
    public async Task An_old_backlog_is_put_on_the_queue_without_a_flood_of_breach_notices()
    {
        using var app = new QueueApp();
        var log = app.Get<ItChatBot.Core.Storage.IEventLog>();
        var old = ItChatBot.Testing.Events.Of("IT-70").Created(app.Clock.GetUtcNow().AddDays(-30), "P2", requester: "frank").List;
        await log.AppendAsync(old, expected: new("IT-70", 0));

        var pass = await app.MonitorAsync();

        Assert.Equal((1, 0, 0), (pass.Posted, pass.Warnings, pass.Breaches));
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.Id == QueueIds.PostMessage("IT-70", "IT", "web") && m.Text.Contains("Resolution breached", StringComparison.Ordinal));
        Assert.DoesNotContain(await QueueThreadTextsAsync(app, "IT-70"), t => t.Contains("Breach:", StringComparison.Ordinal));
        Assert.Equal(0, (await app.MonitorAsync()).Breaches);
    }
}
