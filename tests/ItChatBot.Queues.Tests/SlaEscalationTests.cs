using ItChatBot.Core.Kpi;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// <c>SupportTeams:NAME:Sla:Px:EscalateOnBreach</c>: a breached resolution SLA escalates the ticket to the tier the settings
/// name, as Freshservice escalation rules do. IT here is Europe/London (GMT in early March), Mon-Fri 09:00-17:00, P1 15 min /
/// 4 h, so a P1 opened Monday 09:00 breaches its resolution SLA at 13:00.
/// </summary>
public sealed class SlaEscalationTests
{
    private static readonly DateTimeOffset BeforeBreach = new(2026, 3, 2, 12, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Breach = new(2026, 3, 2, 13, 0, 0, TimeSpan.Zero);

    private static QueueApp App(string? escalateOnBreach = "L2")
    {
        var settings = new Dictionary<string, string?>
        {
            ["SupportTeams:IT:TimeZone"] = "Europe/London",
            ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
            ["SupportTeams:IT:Sla:P1:FirstResponse"] = "00:15:00",
            ["SupportTeams:IT:Sla:P1:Resolution"] = "04:00:00",
            ["SupportTeams:IT:Sla:P3:FirstResponse"] = "04:00:00",
            ["SupportTeams:IT:Sla:P3:Resolution"] = "1.00:00:00",
            ["SupportTeams:Security:KeyPrefix"] = "SEC",
            ["SupportTeams:Security:TimeZone"] = "Europe/London",
            ["SupportTeams:Security:QueueChannels:web"] = "queue-sec",
        };
        if (escalateOnBreach is not null)
        {
            settings["SupportTeams:IT:Sla:P1:EscalateOnBreach"] = escalateOnBreach;
        }

        return new QueueApp(settings);
    }

    private static async Task<List<string>> QueueThreadTextsAsync(QueueApp app, string key) =>
        [.. (await app.ConversationAsync("queue-it", "alice")).Where(m => m.Thread == QueueIds.WebThread(key, "IT") && m.UpdateOf is null).Select(m => m.Text)];

    private static async Task<List<TicketEvent>> EscalationsAsync(QueueApp app, string key) =>
        [.. (await app.EventsAsync(key)).Where(e => e.Type == EventType.Escalated)];

    /// <summary>A pass a minute before the resolution breach, which announces the first-response breach (due 09:15) out of the way.</summary>
    private static async Task BeforeBreachAsync(QueueApp app)
    {
        app.Clock.SetUtcNow(BeforeBreach);
        var pass = await app.MonitorAsync();
        Assert.Equal((1, 0), (pass.Breaches, pass.Escalations));
    }

    /// <summary>A monitor over the same store with nothing of the passes before it in memory, as after a restart.</summary>
    private static Task<SlaMonitorPass> RestartedMonitorAsync(QueueApp app) =>
        ActivatorUtilities.CreateInstance<SlaMonitor>(app.Get<IServiceProvider>()).RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task A_breached_resolution_sla_escalates_the_ticket_once_as_the_escalate_verb_would()
    {
        using var app = App();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        Assert.Equal("P1", ticket.Priority);
        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        await BeforeBreachAsync(app);
        Assert.Equal("L1", (await app.TicketAsync(ticket.Key)).Tier);

        app.Clock.SetUtcNow(Breach);
        var pass = await app.MonitorAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var later = await app.MonitorAsync();

        Assert.Equal((1, 1), (pass.Breaches, pass.Escalations));
        Assert.Equal((0, 0), (later.Breaches, later.Escalations));
        var escalated = Assert.Single(await EscalationsAsync(app, ticket.Key));
        Assert.Equal(("system", ActorKind.System, "L1", "L2", "IT", "IT"), (escalated.Actor, escalated.ActorKind,
            escalated.Get(EventData.FromTier), escalated.Get(EventData.ToTier), escalated.Get(EventData.FromTeam), escalated.Get(EventData.ToTeam)));
        // As /it escalate leaves it: at the new tier, unassigned for it to pick up, and no longer in progress.
        var now = await app.TicketAsync(ticket.Key);
        Assert.Equal(("L2", null, TicketStatus.Open), (now.Tier, now.Assignee, now.Status));
        Assert.Single(await QueueThreadTextsAsync(app, ticket.Key), t => t.Contains(
            "Breach: the resolution SLA (P1, 4h 00m) is *breached*: it was due Mon 2 Mar 13:00 Europe/London. Escalated automatically from IT L1 to IT L2.", StringComparison.Ordinal));
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web") && m.Text.Contains("L2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_setting_a_breach_is_only_announced()
    {
        using var app = App(escalateOnBreach: null);
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        await BeforeBreachAsync(app);

        app.Clock.SetUtcNow(Breach);
        var pass = await app.MonitorAsync();

        Assert.Equal((1, 0), (pass.Breaches, pass.Escalations));
        Assert.Empty(await EscalationsAsync(app, ticket.Key));
        Assert.Equal("L1", (await app.TicketAsync(ticket.Key)).Tier);
        var breach = Assert.Single(await QueueThreadTextsAsync(app, ticket.Key), t => t.Contains("Breach: the resolution SLA", StringComparison.Ordinal));
        Assert.DoesNotContain("Escalated", breach, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("L2")]
    [InlineData("L3")]
    public async Task A_ticket_already_at_or_above_the_tier_is_not_escalated(string tier)
    {
        using var app = App();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        await app.SendAsync("alice", $"/it escalate {ticket.Key} {tier}");
        await BeforeBreachAsync(app);

        app.Clock.SetUtcNow(Breach);
        var pass = await app.MonitorAsync();

        Assert.Equal((1, 0), (pass.Breaches, pass.Escalations));
        Assert.Equal("alice", Assert.Single(await EscalationsAsync(app, ticket.Key)).Actor);
        Assert.Equal(tier, (await app.TicketAsync(ticket.Key)).Tier);
    }

    [Fact]
    public async Task A_restarted_monitor_does_not_escalate_the_same_breach_again()
    {
        using var app = App();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        app.Clock.SetUtcNow(Breach);
        Assert.Equal(1, (await app.MonitorAsync()).Escalations);

        // An agent passes it to Security, where it starts again at L1: below the tier, with the breach still standing.
        await app.SendAsync("bob", $"/it escalate {ticket.Key} Security");
        Assert.Equal(("Security", "L1"), ((await app.TicketAsync(ticket.Key)).Team, (await app.TicketAsync(ticket.Key)).Tier));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var restarted = await RestartedMonitorAsync(app);
        var again = await RestartedMonitorAsync(app);

        Assert.Equal((1, 0, 0), (restarted.Examined, restarted.Escalations, again.Escalations));
        Assert.Equal(["system", "bob"], (await EscalationsAsync(app, ticket.Key)).Select(e => e.Actor));
        Assert.Equal(("Security", "L1"), ((await app.TicketAsync(ticket.Key)).Team, (await app.TicketAsync(ticket.Key)).Tier));
    }

    [Fact]
    public async Task An_escalation_stored_by_a_pass_that_stopped_before_its_notice_is_told_once_and_not_made_again()
    {
        using var app = App();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        await BeforeBreachAsync(app);
        app.Clock.SetUtcNow(Breach);
        // The escalation a pass stored before it stopped: in the log, with no notice and no mark.
        await app.Get<TicketService>().ChangeAsync(ticket.Key, (t, at) => QueueDesk.EscalateToTier(t, at, SlaMonitor.SystemActor, ActorKind.System, "L2",
            new Dictionary<string, string> { [EventData.By] = SlaMonitor.SystemActor, [EventData.Reason] = "the resolution SLA (P1, 4h) is breached." },
            QueueIds.SlaEscalation(ticket.Key, "P1")));

        var pass = await RestartedMonitorAsync(app);
        var next = await RestartedMonitorAsync(app);

        Assert.Equal((1, 0, 0), (pass.Breaches, pass.Escalations, next.Breaches));
        Assert.Single(await EscalationsAsync(app, ticket.Key));
        Assert.Single(await QueueThreadTextsAsync(app, ticket.Key), t => t.Contains("Escalated automatically from IT L1 to IT L2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_old_breach_first_seen_after_a_long_stop_is_not_escalated()
    {
        using var app = App();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");

        app.Clock.SetUtcNow(Breach.AddDays(2));
        var pass = await app.MonitorAsync();

        Assert.Equal((0, 0), (pass.Breaches, pass.Escalations));
        Assert.Empty(await EscalationsAsync(app, ticket.Key));
    }

    [Fact]
    public async Task The_escalation_rate_counts_an_escalation_on_breach()
    {
        using var app = App();
        var (breached, _) = await app.OpenAsync("the VPN is down for everyone");
        var (quiet, _) = await app.OpenAsync("my laptop screen is flickering");
        Assert.Equal("P3", quiet.Priority);
        await app.SendAsync("alice", $"/it resolve {quiet.Key}");
        app.Clock.SetUtcNow(Breach);
        Assert.Equal(1, (await app.MonitorAsync()).Escalations);
        await app.SendAsync("carol", $"/it resolve {breached.Key}");

        var rate = await app.Get<KpiEngine>().ComputeAsync(new KpiRequest("escalation", "IT", new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 3, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal((0.5, 2), (rate.Value, rate.Count));
    }
}
