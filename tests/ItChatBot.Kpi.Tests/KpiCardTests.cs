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

    [Theory]
    [InlineData("fcr", 0.72, 0.65, "72% ↑ better (previous 65%; over 10)")]
    [InlineData("fcr", 0.60, 0.65, "60% ↓ worse (previous 65%; over 10)")]
    [InlineData("mttr", 9.5, 8.0, "9.5 h ↑ worse (previous 8 h; over 10)")]
    [InlineData("mttr", 7.0, 8.0, "7 h ↓ better (previous 8 h; over 10)")]
    [InlineData("backlog", 24.0, 21.0, "24 ↑ worse (previous 21; over 10)")]
    [InlineData("csat", 0.8, 0.8, "80% → (previous 80%; over 10)")]
    [InlineData("volume", 120.0, 90.0, "120 ↑ (previous 90; over 10)")]
    [InlineData("access", 3.0, 9.0, "3 ↓ (previous 9; over 10)")]
    public void A_change_says_whether_it_is_better_or_worse_where_the_metric_has_a_better_side(string metric, double now, double before, string line)
    {
        var unit = metric switch { "mttr" => "hours", "fcr" or "csat" => "ratio", _ => "tickets" };
        var result = new KpiResult
        {
            Metric = metric,
            From = KpiHistory.From,
            To = KpiHistory.To,
            Unit = unit,
            Value = now,
            Count = 10,
            Previous = new KpiPrevious(KpiHistory.From.AddDays(-30), KpiHistory.From, before, 8),
        };

        Assert.Equal(line, KpiCards.Line(result));
    }

    [Fact]
    public void Without_a_previous_value_there_is_no_arrow_and_no_verdict()
    {
        Assert.Equal("", Fmt.Trend("mttr", 4.0, null));
        Assert.Null(KpiDirection.Verdict("mttr", null, 4.0));
        Assert.Equal("↓ better", Fmt.Trend("mttr", 3.0, 4.0));
    }
}

public sealed class KpiCardCountTests : IDisposable
{
    private readonly KpiFixture _kpi = KpiFixture.With(KpiHistory.All());

    public void Dispose() => _kpi.Dispose();

    private Dictionary<string, string> Fields(string metric, out KpiResult result)
    {
        result = _kpi.Get(metric);
        return KpiCards.Metric(result, TimeZoneInfo.Utc).Fields.ToDictionary(f => f.Label, f => f.Value);
    }

    private static string N(KpiResult r, string key) => Convert.ToString(r.Extra[key], System.Globalization.CultureInfo.InvariantCulture)!;

    // Before, each of these cards showed the rate and "Counted over" only; the counts were in the JSON alone.
    [Fact]
    public void The_automation_card_shows_each_outcomes_count_and_share()
    {
        var fields = Fields("automation", out var r);
        string Part(string key) => $"{((Dictionary<string, object?>)r.Extra[key]!)["count"]} ({Fmt.Pct(((Dictionary<string, object?>)r.Extra[key]!)["share"] as double?)})";

        Assert.Equal($"{Part("aiResolved")} / {Part("aiAssisted")} / {Part("unassisted")}", fields["AI-resolved / AI-assisted / unassisted"]);
        Assert.Matches(@"^\d+ \([\d.]+%\) / \d+ \([\d.]+%\) / \d+ \([\d.]+%\)$", fields["AI-resolved / AI-assisted / unassisted"]);
    }

    [Fact]
    public void The_csat_card_shows_the_mean_score_and_the_answers_behind_the_rate()
    {
        var fields = Fields("csat", out var r);

        Assert.Equal($"{Fmt.Number((double)r.Extra["meanScore"]!)} of 5", fields["Mean score"]);
        Assert.Equal($"{N(r, "satisfied")} of {r.Count} answers; {N(r, "sent")} surveys sent", fields["Satisfied (4 or 5)"]);
        Assert.True(r.Count > 0);
    }

    [Theory]
    [InlineData("fcr", "Resolved at first contact")]
    [InlineData("escalation", "Escalated")]
    public void A_rate_over_resolved_tickets_says_how_many_of_them(string metric, string label)
    {
        var fields = Fields(metric, out var r);

        Assert.Equal($"{N(r, metric == "fcr" ? "firstContact" : "escalated")} of {r.Count}", fields[label]);
        Assert.True(r.Count > 0);
    }

    [Fact]
    public void The_sla_deflection_and_workflow_cards_show_their_counts()
    {
        var sla = Fields("sla", out var s);
        Assert.Equal($"{N(s, "met")} / {N(s, "breached")}", sla["Met / breached"]);

        var deflection = Fields("deflection", out var d);
        Assert.Equal($"{N(d, "deflected")} / {N(d, "created")}", deflection["Deflected / tickets created"]);

        var workflows = Fields("workflows", out var w);
        Assert.Equal(N(w, "started"), workflows["Runs started"]);
        Assert.Equal($"{N(w, "completed")} / {N(w, "failed")} of {N(w, "ended")}", workflows["Ended: completed / failed"]);
    }
}
