using ItChatBot.Core.Kpi;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>
/// The backlog trend: the open count at the end of each of the last <c>BacklogWeeks</c> weeks, each row's change
/// taken from the week end before it (the first from <c>to</c> − N weeks); a category's growth is over the same window.
/// </summary>
public sealed class BacklogTrendTests
{
    private static List<Dictionary<string, object?>> Rows(object? o) => Assert.IsType<List<Dictionary<string, object?>>>(o);

    [Fact]
    public void A_category_that_grew_in_the_first_week_of_the_trend_is_growing()
    {
        // BacklogWeeks 2 over February: week ends 15 Feb (the base), 22 Feb, 1 Mar. vpn: a ticket opened on 16 Feb and
        // still open (0 → 1 → 1). hardware: open since January, resolved on 25 Feb (1 → 1 → 0).
        using var fx = KpiFixture.With([
            .. Events.Of("IT-40").Created(At("2026-02-16T09:00"), "P3", "IT", "vpn", "U1").List,
            .. Events.Of("IT-41").Created(At("2026-01-20T09:00"), "P3", "IT", "hardware", "U2")
                .Resolved(At("2026-02-25T09:00"), "A1", ActorKind.Agent).List],
            new KpiOptions { BacklogWeeks = 2 });

        var b = fx.Get("backlog");
        var trend = Rows(b.Extra["trend"]);
        Assert.Equal([1, -1], trend.Select(r => (int)r["change"]!));
        var categories = Rows(b.Extra["categories"]).ToDictionary(c => (string)c["category"]!, c => (int)c["growth"]!);
        Assert.Equal(1, categories["vpn"]);
        Assert.Equal(-1, categories["hardware"]);
        Assert.Equal(trend.Sum(r => (int)r["change"]!), categories.Values.Sum());
        Assert.Equal(["vpn"], Assert.IsType<List<object?>>(b.Extra["growingCategories"]));
        Assert.Equal("vpn", Assert.Single(Rows(fx.Get("insights").Extra["growingBacklog"]))["category"]);
    }

    [Fact]
    public void The_backlog_card_shows_the_weekly_trend_the_age_buckets_the_ratio_and_the_growing_categories()
    {
        // The first test's history: vpn 0 → 1 → 1, hardware 1 → 1 → 0; and an old network ticket open since December.
        using var fx = KpiFixture.With([
            .. Events.Of("IT-40").Created(At("2026-02-16T09:00"), "P3", "IT", "vpn", "U1").List,
            .. Events.Of("IT-41").Created(At("2026-01-20T09:00"), "P3", "IT", "hardware", "U2")
                .Resolved(At("2026-02-25T09:00"), "A1", ActorKind.Agent).List,
            .. Events.Of("IT-39").Created(At("2025-12-01T09:00"), "P3", "IT", "network", "U3").List],
            new KpiOptions { BacklogWeeks = 2 });

        var card = KpiCards.Metric(fx.Get("backlog"), TimeZoneInfo.Utc);

        Assert.Equal("Backlog · IT", card.Title);
        Assert.Equal("*2* open →", card.Text);
        string Field(string label) => card.Fields.Single(f => f.Label == label).Value;
        Assert.Equal("3 → 2 (−1 in the last week)", Field("Open at each week's end"));
        Assert.Equal("under 10 days: 0 · 10–30 days: 1 · over 30 days: 1", Field("Age"));
        Assert.Equal(["category", "open", "last week", "over 2 weeks"], card.Table!.Columns);
        Assert.Equal(["vpn", "1", "±0", "+1"], card.Table.Rows[0]);
        Assert.Equal(["hardware", "0", "−1", "−1"], card.Table.Rows[^1]);
        Assert.Contains(card.Table.Rows, r => r[0] == "network" && r[3] == "±0");
    }

    [Fact]
    public void The_previous_backlog_is_no_data_when_nothing_existed_yet_at_the_previous_periods_end()
    {
        // February: the previous value is the open count at 1 Feb.
        using var fresh = KpiFixture.With(Events.Of("IT-43").Created(At("2026-02-10T09:00"), "P3", "IT", "vpn", "U1").List);
        var b = fresh.Get("backlog");
        Assert.Equal(1, b.Value);
        Assert.Null(b.Previous!.Value);

        // A ticket created and resolved in January: at 1 Feb the backlog was really empty.
        using var known = KpiFixture.With([
            .. Events.Of("IT-44").Created(At("2026-01-20T09:00"), "P3", "IT", "vpn", "U1").Resolved(At("2026-01-21T09:00"), "A1", ActorKind.Agent).List,
            .. Events.Of("IT-43").Created(At("2026-02-10T09:00"), "P3", "IT", "vpn", "U1").List]);
        Assert.Equal(0, known.Get("backlog").Previous!.Value);
    }

    [Fact]
    public void With_one_week_the_growth_is_that_weeks_change()
    {
        using var fx = KpiFixture.With(Events.Of("IT-42").Created(At("2026-02-25T09:00"), "P3", "IT", "vpn", "U1").List, new KpiOptions { BacklogWeeks = 1 });
        var b = fx.Get("backlog");
        Assert.Equal(1, Assert.Single(Rows(b.Extra["trend"]))["change"]);
        Assert.Equal(1, Assert.Single(Rows(b.Extra["categories"]))["growth"]);
        Assert.Equal(["vpn"], Assert.IsType<List<object?>>(b.Extra["growingCategories"]));
    }
}
