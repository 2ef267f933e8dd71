using ItChatBot.Core.Kpi;

namespace ItChatBot.Kpi.Tests;

public sealed class KpiCardTests
{
    [Fact]
    public void A_volume_spikes_threshold_is_shown_as_cards_show_numbers()
    {
        var insights = new KpiResult
        {
            Metric = "insights",
            Team = "IT",
            From = KpiHistory.From,
            To = KpiHistory.To,
            Unit = "spikes",
            Value = 1,
            Extra =
            {
                ["automateNext"] = new List<Dictionary<string, object?>>(),
                ["spikes"] = new List<Dictionary<string, object?>> { new() { ["category"] = "network", ["thisWeek"] = 24, ["threshold"] = 21.405 } },
                ["growingBacklog"] = new List<Dictionary<string, object?>>(),
            },
        };

        var card = KpiCards.Metric(insights, TimeZoneInfo.Utc);

        Assert.Contains("• network: 24 (threshold 21.41)", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_approvals_card_shows_the_latency_the_decisions_and_any_gated_action_without_an_approval()
    {
        var approvals = new KpiResult
        {
            Metric = "approvals",
            Team = "IT",
            From = KpiHistory.From,
            To = KpiHistory.To,
            Unit = "ratio",
            Value = 0.95,
            Count = 20,
            Extra = { ["approved"] = 19, ["unapproved"] = 1, ["latencyMedianHours"] = 4.725, ["decided"] = 22, ["denied"] = 2, ["expired"] = 1 },
        };

        var fields = KpiCards.Metric(approvals, TimeZoneInfo.Utc).Fields.ToDictionary(f => f.Label, f => f.Value);

        Assert.Equal("4.73 h", fields["Approval latency (median)"]);
        Assert.Equal("22 / 2 / 1", fields["Decided / denied / expired"]);
        Assert.Equal("1", fields["Gated actions without an approval"]);
    }

    [Fact]
    public void A_technicians_monthly_trend_names_each_month_by_its_end_and_leaves_out_the_months_before_their_first()
    {
        Dictionary<string, object?> Month(int day, int month, double? fcr) => new() { ["to"] = new DateTimeOffset(2026, month, day, 9, 0, 0, TimeSpan.Zero), ["fcr"] = fcr };
        List<Dictionary<string, object?>> months = [Month(6, 9, null), Month(6, 10, null), Month(6, 11, 0.517), Month(6, 12, 0.601)];

        Assert.Equal("6 Nov 51.7% → 6 Dec 60.1% (no data in the 2 months before)", ItChatBot.Host.Kpi.TechCard.Trend(months, "fcr", Fmt.Pct));
        // A month without data after the first with data is shown as such: the gap is part of the trend.
        Assert.Equal("6 Oct 40% → 6 Nov no data → 6 Dec 50%", ItChatBot.Host.Kpi.TechCard.Trend([Month(6, 10, 0.4), Month(6, 11, null), Month(6, 12, 0.5)], "fcr", Fmt.Pct));
        Assert.Equal("no data", ItChatBot.Host.Kpi.TechCard.Trend([Month(6, 10, null)], "fcr", Fmt.Pct));
    }
}
