using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Sla;
using ItChatBot.Host;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// A team's calendar and SLA targets (DESIGN §6 <c>SupportTeams:NAME:TimeZone|BusinessHours|Sla</c>): a bad value stops the
/// service at start naming the setting, rather than failing on the first ticket or silently breaching every one.
/// </summary>
public sealed class SlaSettingsTests
{
    private static ServiceProvider Build(Action<IConfiguration>? change = null) => SampleSettings.Build(change);

    [Theory]
    [InlineData("SupportTeams:IT:TimeZone", "Mars/Olympus", "SupportTeams:IT:TimeZone: 'Mars/Olympus' is not a time zone")]
    [InlineData("SupportTeams:IT:BusinessHours:Days", "Mon-Funday", "SupportTeams:IT:BusinessHours: 'Funday' is not a day")]
    [InlineData("SupportTeams:IT:BusinessHours:Days", "Monkey-Fri", "SupportTeams:IT:BusinessHours: 'Monkey' is not a day")]
    [InlineData("SupportTeams:IT:BusinessHours:Days", "Mon-Fri,Sunshine", "SupportTeams:IT:BusinessHours: 'Sunshine' is not a day")]
    [InlineData("SupportTeams:IT:BusinessHours", "24/7", "SupportTeams:IT:BusinessHours: '24/7' is not a day")]
    [InlineData("SupportTeams:IT:BusinessHours:End", "09:00", "SupportTeams:IT:BusinessHours: Business hours start and end are both 09:00")]
    [InlineData("SupportTeams:IT:Sla:P1:Resolution", "-04:00:00", "SupportTeams:IT:Sla:P1:Resolution is negative")]
    [InlineData("SupportTeams:Security:Sla:P2:FirstResponse", "-00:30:00", "SupportTeams:Security:Sla:P2:FirstResponse is negative")]
    [InlineData("SupportTeams:IT:Sla:Critical:Resolution", "02:00:00", "SupportTeams:IT:Sla:Critical: 'Critical' is not a priority")]
    [InlineData("SupportTeams:IT:Sla:P1:EscalateOnBreach", "L4", "SupportTeams:IT:Sla:P1:EscalateOnBreach: 'L4' is not a tier to escalate to; use L2 or L3.")]
    [InlineData("SupportTeams:IT:Sla:P2:EscalateOnBreach", "L1", "SupportTeams:IT:Sla:P2:EscalateOnBreach: 'L1' is not a tier to escalate to; use L2 or L3.")]
    [InlineData("SupportTeams:IT:Sla:P1:EscalateOnBreach", "Security", "SupportTeams:IT:Sla:P1:EscalateOnBreach: 'Security' is not a tier to escalate to")]
    [InlineData("SupportTeams:HR:Sla:P1:EscalateOnBreach", "L2", "SupportTeams:HR:Sla:P1:EscalateOnBreach: there is no Resolution target to breach")]
    public void Bad_sla_settings_are_refused_naming_the_setting(string key, string value, string message)
    {
        using var services = Build(c => c[key] = value);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<SupportTeams>());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Days_are_names_or_their_abbreviations()
    {
        var calendar = BusinessCalendar.For(new SupportTeam
        {
            TimeZone = "UTC",
            BusinessHours = new BusinessHours { Days = "Monday-Tues, THURS, sat", Start = new(9, 0), End = new(17, 0) },
        });

        // Sunday 1 March 2026 to the next Sunday: Monday, Tuesday, Thursday and Saturday.
        Assert.Equal(TimeSpan.FromHours(32), calendar.Between(new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 8, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_sample_settings_pass()
    {
        using var services = Build();

        var it = services.GetRequiredService<SupportTeams>().Get("IT");

        Assert.Equal(TimeSpan.FromHours(4), it.Sla["P1"].Resolution);
        Assert.Equal("L2", it.Sla["P1"].EscalateOnBreach);
        Assert.Null(it.Sla["P2"].EscalateOnBreach);
        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 28)], it.BusinessHours.Holidays);
    }

    [Fact]
    public void The_web_host_does_not_start_with_a_bad_time_zone()
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["SupportTeams:IT:TimeZone"] = "Europe/Lodnon",
            ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("SupportTeams:IT:TimeZone: 'Europe/Lodnon' is not a time zone", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_24x7_team_given_as_a_plain_string_counts_the_weekend()
    {
        using var app = new QueueApp(new Dictionary<string, string?>
        {
            ["SupportTeams:IT:TimeZone"] = "Europe/London",
            ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
            ["SupportTeams:IT:BusinessHours"] = "24x7",
            ["SupportTeams:IT:Sla:P1:FirstResponse"] = "00:30:00",
            ["SupportTeams:IT:Sla:P1:Resolution"] = "04:00:00",
        });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 7, 22, 0, 0, TimeSpan.Zero)); // Saturday 22:00 GMT

        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");

        var card = Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Resolution 4h 00m left, due Sun 8 Mar 02:00", card.Text, StringComparison.Ordinal);
    }
}
