using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Host;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Queues.Tests;

/// <summary>Teams, calendars, SLA targets and priority keywords come from configuration (DESIGN §6).</summary>
public sealed class ConfiguredTeamTests
{
    private static readonly Dictionary<string, string?> NewYork = new()
    {
        ["SupportTeams:IT:TimeZone"] = "America/New_York",
        ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
        ["SupportTeams:IT:BusinessHours:Days"] = "Mon-Fri",
        ["SupportTeams:IT:BusinessHours:Start"] = "09:00",
        ["SupportTeams:IT:BusinessHours:End"] = "17:00",
        ["SupportTeams:IT:BusinessHours:Holidays:0"] = "2026-03-09",
        ["SupportTeams:IT:Sla:P1:FirstResponse"] = "00:30:00",
        ["SupportTeams:IT:Sla:P1:Resolution"] = "02:00:00",
    };

    [Fact]
    public async Task Time_left_on_a_clock_of_several_working_days_is_told_in_hours_not_as_calendar_days()
    {
        var settings = new Dictionary<string, string?>(NewYork) { ["SupportTeams:IT:Sla:P1:Resolution"] = "1.00:00:00" };
        using var app = new QueueApp(settings);
        // Monday 2 March 09:00 EST: 24 working hours are Monday, Tuesday and Wednesday.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));

        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");

        var card = Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Resolution 24h 00m left, due Wed 4 Mar 17:00 America/New_York", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_card_shows_the_time_left_in_the_teams_calendar_across_a_holiday_and_dst()
    {
        using var app = new QueueApp(NewYork);
        // Friday 6 March 16:30 EST. Monday 9 March is a holiday and New York is on EDT from Sunday 8 March.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 21, 30, 0, TimeSpan.Zero));

        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");

        Assert.Equal("P1", ticket.Priority);
        var card = Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Response 30m left, due Fri 6 Mar 17:00 America/New_York", card.Text, StringComparison.Ordinal);
        // 30 minutes on Friday, none on the holiday, 1 h 30 m from 09:00 EDT on Tuesday.
        Assert.Contains("Resolution 2h 00m left, due Tue 10 Mar 10:30 America/New_York", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_priority_keywords_replace_the_built_in_ones()
    {
        using var app = new QueueApp(new Dictionary<string, string?>
        {
            ["Queues:PriorityRules:0:Priority"] = "P1",
            ["Queues:PriorityRules:0:Words:0"] = "payroll run",
            ["Queues:PriorityRules:1:Priority"] = "P4",
            ["Queues:PriorityRules:1:Words:0"] = "printer",
        });

        Assert.Equal("P1", (await app.OpenAsync("the payroll run failed")).Ticket.Priority);
        Assert.Equal("P4", (await app.OpenAsync("the printer on floor 2 is jammed")).Ticket.Priority);
        // "outage" is a built-in P1 word, not a configured one.
        Assert.Equal("P3", (await app.OpenAsync("small outage of the wiki")).Ticket.Priority);
    }

    [Theory]
    [InlineData("the VPN is down", "P1")]
    [InlineData("Outage in the Leeds office", "P1")]
    [InlineData("everyone on floor 3 has no wifi", "P1")]
    [InlineData("the download of the installer is slow", "P3")]
    [InlineData("I can't work, my laptop won't start", "P2")]
    [InlineData("new mouse please, no rush", "P4")]
    public void The_default_rules_match_whole_words(string text, string priority)
    {
        var rules = new PriorityRules([]);

        Assert.Equal(priority, rules.Match(text) ?? "P3");
    }

    [Fact]
    public void A_rule_without_words_or_with_a_bad_priority_is_refused()
    {
        Assert.Contains("has no words", Assert.Throws<InvalidOperationException>(() => new PriorityRules([new PriorityRule { Priority = "P1" }])).Message, StringComparison.Ordinal);
        Assert.Contains("'P7' is not a priority", Assert.Throws<ItChatBot.Core.Tickets.DomainException>(() => new PriorityRules([new PriorityRule { Priority = "P7", Words = ["x"] }])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_setting_changes_one_thing_of_a_default_team_and_keeps_the_rest()
    {
        using var folder = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDb:Path"] = folder.File("teams.db"),
            // What docs/slack.md and DESIGN §6 tell an operator of the embedded default to set, as environment variables.
            ["SupportTeams:IT:QueueChannels:slack"] = "C0123",
            ["SupportTeams:IT:TimeZone"] = "Europe/Paris",
            ["SupportTeams:hr:Categories:0"] = "payroll",
            ["SupportTeams:HR:Sla:P2:Resolution"] = "1.00:00:00",
            ["SupportTeams:Finance:Enabled"] = "false",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();

        var teams = services.GetRequiredService<SupportTeams>();

        Assert.Equal(["HR", "IT", "Security"], teams.All.Select(t => t.Name).Order(StringComparer.Ordinal));
        var it = teams.Get("IT");
        Assert.Equal("IT", it.KeyPrefix);
        Assert.Equal(new Dictionary<string, string> { ["web"] = "queue-it", ["slack"] = "C0123" }, it.QueueChannels);
        Assert.Contains("vpn", it.Categories);
        Assert.Equal("Europe/Paris", it.TimeZone);
        Assert.Equal(TimeSpan.FromHours(4), it.Sla["P1"].Resolution);
        // A configured list or policy replaces the default one instead of being added to it; the name matches in any case.
        Assert.Equal(["payroll"], teams.Get("HR").Categories);
        Assert.Equal(["P2"], teams.Get("HR").Sla.Keys);
        Assert.Equal(((TimeSpan?)null, TimeSpan.FromHours(24)), (teams.Get("HR").Sla["P2"].FirstResponse, teams.Get("HR").Sla["P2"].Resolution));
        Assert.Equal("SEC", teams.Get("Security").KeyPrefix);
    }
}
