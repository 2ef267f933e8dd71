using ItChatBot.Core.Kpi;

namespace ItChatBot.Kpi.Tests;

/// <summary>Every metric over <see cref="KpiHistory"/>, with the expected values worked out by hand in the comments.</summary>
public sealed class KpiEngineTests(KpiFixture fx) : IClassFixture<KpiFixture>
{
    private static void Near(double expected, double? actual) => Assert.Equal(expected, Assert.NotNull(actual), 5);

    private static Dictionary<string, object?> D(object? o) => Assert.IsType<Dictionary<string, object?>>(o);

    [Fact]
    public void Volume_counts_creations_in_the_half_open_period()
    {
        // IT-1..IT-6; IT-7 at exactly 03-01 00:00 belongs to March.
        var v = fx.Get("volume");
        Assert.Equal(6, v.Value);
        Assert.Equal(1, v.Previous!.Value);
        Assert.Equal(7, fx.Get("volume", team: null).Value);
        Assert.Equal(1, fx.Get("volume", from: KpiHistory.To, to: KpiHistory.To.AddDays(1)).Value);
    }

    [Fact]
    public void Mttr_uses_the_final_resolution_per_priority_and_in_business_hours()
    {
        // Resolved in February: IT-1 0.5 h, IT-2 26 h, IT-3 4 h, IT-4 3 h (final resolution, after the reopen).
        var m = fx.Get("mttr");
        Assert.Equal(4, m.Count);
        Near(8.375, m.Value);
        Near(3.5, (double?)m.Extra["median"]);
        Near(26, (double?)m.Extra["p90"]);
        // Business hours: IT-2 runs Mon 10-17 and Tue 9-12 = 10 h; the others are inside one working day.
        var business = D(m.Extra["businessHours"]);
        Near(4.375, (double?)business["mean"]);
        Near(3.5, (double?)business["median"]);
        Near(10, (double?)business["p90"]);
        Assert.Equal(["P1", "P2", "P3"], m.Segments.Select(s => s.Key));
        Near(3, m.Segments[0].Value);
        Near(13.25, m.Segments[1].Value);
        Assert.Equal(2, m.Segments[1].Count);
        Near(4, m.Previous!.Value);
        Assert.Equal(1, m.Previous.Count);
    }

    [Fact]
    public void First_response_time_counts_tickets_created_in_the_period_that_have_one()
    {
        // IT-1 1 min, IT-2 30 min, IT-3 90 min, IT-4 10 min, IT-6 90 min (IT-5 has none).
        var f = fx.Get("frt");
        Assert.Equal(5, f.Count);
        Near((1 / 60d) + 0.5 + 1.5 + (1 / 6d) + 1.5, f.Value * 5);
        Near(0.5, (double?)f.Extra["median"]);
    }

    [Fact]
    public void Fcr_excludes_reopened_escalated_and_followed_up_tickets()
    {
        // IT-1 yes; IT-2 followed up by IT-5 (same requester and category, 3 days later); IT-3 escalated; IT-4 reopened.
        var f = fx.Get("fcr");
        Near(0.25, f.Value);
        Assert.Equal(4, f.Count);
        Assert.Equal("ratio", f.Unit);

        // With a 2-day follow-up window IT-2's follow-up no longer counts.
        using var wide = KpiFixture.With(KpiHistory.All(), new KpiOptions { FcrFollowUpDays = 2 });
        Near(0.5, wide.Get("fcr").Value);
    }

    [Fact]
    public void Sla_counts_each_ticket_once_at_min_of_resolution_and_deadline()
    {
        // Met: IT-1, IT-3, IT-4 (reopen stopped the clock 10-11, deadline 14:00). Breached: IT-2 at Tue 10:00,
        // IT-5 still open, at Thu 12 Feb 17:00. IT-6 counts in March (resolved Sunday before its clock started).
        var s = fx.Get("sla");
        Assert.Equal(5, s.Count);
        Near(0.6, s.Value);
        Assert.Equal(3, s.Extra["met"]);
        Assert.Equal(2, s.Extra["breached"]);
        Assert.Equal(["P1", "P2", "P3", "P4"], s.Segments.Select(x => x.Key));
        Assert.Equal([1d, 0.5, 1d, 0d], s.Segments.Select(x => x.Value!.Value));
        // First response: all met except IT-5 (no reply by Fri 6 Feb 17:00).
        var response = D(s.Extra["response"]);
        Near(0.8, (double?)response["value"]);
        Assert.Equal(5, response["count"]);

        // March: IT-6 met; IT-7 (open, P3 clock from Mon 2 Mar 09:00) breached on Wed 4 Mar 17:00.
        var march = fx.Get("sla", from: KpiHistory.To, to: KpiHistory.To.AddDays(31));
        Assert.Equal(2, march.Count);
        Near(0.5, march.Value);
    }

    [Fact]
    public void A_breach_while_open_is_counted_only_once_its_deadline_has_passed()
    {
        // Asked on Wed 11 Feb, IT-5's resolution deadline (Thu 12 Feb 17:00) is still ahead: it counts nowhere yet.
        using var early = KpiFixture.With(KpiHistory.All(), now: KpiHistory.At("2026-02-11T12:00"));
        var s = early.Get("sla");
        Assert.Equal(4, s.Count);
        Near(0.75, s.Value);
    }

    [Fact]
    public void Csat_share_mean_and_response_rate()
    {
        // IT answers 5, 2, 4 of 4 surveys sent.
        var c = fx.Get("csat");
        Near(2 / 3d, c.Value);
        Assert.Equal(3, c.Count);
        Near(11 / 3d, (double?)c.Extra["meanScore"]);
        Near(0.75, (double?)c.Extra["responseRate"]);
        // HR's only answer is a 3: a real 0%, not "no data".
        Assert.Equal(0d, fx.Get("csat", team: "HR").Value);
    }

    [Fact]
    public void Escalation_and_automation_shares_over_resolved_tickets()
    {
        Near(0.25, fx.Get("escalation").Value);
        var a = fx.Get("automation", by: "outcome");
        Near(0.25, a.Value);
        Assert.Equal(1, D(a.Extra["aiResolved"])["count"]);
        Assert.Equal(1, D(a.Extra["aiAssisted"])["count"]);
        Assert.Equal(2, D(a.Extra["unassisted"])["count"]);
        Assert.Equal(["ai-assisted", "ai-resolved", "unassisted"], a.Segments.Select(s => s.Key));
        Assert.Equal([1, 1, 2], a.Segments.Select(s => s.Count));
    }

    [Fact]
    public void Backlog_is_the_open_count_at_the_end_with_ages_and_ratio()
    {
        // Open at 03-01 00:00: IT-5, IT-6 (resolved an hour later), IT-7 (created at that very instant).
        var b = fx.Get("backlog");
        Assert.Equal(3, b.Value);
        Assert.Equal(0, b.Previous!.Value);
        var ages = D(b.Extra["ageBuckets"]);
        Assert.Equal(2, ages["under10Days"]);
        Assert.Equal(1, ages["days10To30"]);
        Assert.Equal(0, ages["over30Days"]);
        // 3 open ÷ (6 created / 28 days) = 14.
        Near(14, (double?)b.Extra["backlogRatio"]);
        var trend = Assert.IsType<List<Dictionary<string, object?>>>(b.Extra["trend"]);
        Assert.Equal(8, trend.Count);
        Assert.Equal(3, trend[^1]["open"]);
        Assert.Equal(2, trend[^1]["change"]); // open on 02-22: IT-5 only
    }

    [Fact]
    public void Deflection_workflows_overrides_and_savings()
    {
        // 1 deflection ÷ (1 + 6 created).
        Near(1 / 7d, fx.Get("deflection").Value);
        // Runs started in February: IT-1 completed, IT-3 failed (and overridden).
        var w = fx.Get("workflows");
        Near(0.5, w.Value);
        Assert.Equal(2, w.Count);
        Near(0.5, fx.Get("overrides").Value);
        // One AI-resolved access ticket saves 20 minutes at 45/h.
        var s = fx.Get("savings");
        Near(1 / 3d, s.Value);
        Assert.Equal(15.00m, s.Extra["cost"]);
    }

    [Fact]
    public void Team_and_technician_filters_scope_every_metric()
    {
        var hr = fx.Get("mttr", team: "HR");
        Near(2, hr.Value);
        Assert.Equal(1, hr.Count);
        // A2 holds IT-3 (received by escalation, 4 h) and IT-4 (3 h).
        Near(3.5, fx.Get("mttr", tech: "A2").Value);
        // IT-5 has nobody assigned; A1 holds IT-2 and IT-6, A2 IT-3 and IT-4; IT-1 was automation alone.
        var byTech = fx.Get("volume", by: "tech").Segments.ToDictionary(s => s.Key, s => s.Count);
        Assert.Equal(2, byTech["A1"]);
        Assert.Equal(2, byTech["A2"]);
        Assert.Equal(2, byTech["(unassigned)"]);
    }

    [Fact]
    public void Insights_compare_with_the_previous_period_like_every_card()
    {
        // DESIGN §6: previous { from, to, value, count }. January [01-04, 02-01) had IT-100 created and no spike.
        var i = fx.Get("insights");
        Assert.Equal(6, i.Count);
        var previous = Assert.IsType<KpiPrevious>(i.Previous);
        Assert.Equal((KpiHistory.At("2026-01-04T00:00"), KpiHistory.From), (previous.From, previous.To));
        Assert.Equal(1, previous.Count);
        Assert.Equal(0, previous.Value);
    }

    [Fact]
    public void An_empty_period_is_no_data_never_zero_or_nan()
    {
        var from = KpiHistory.At("2025-06-01T00:00");
        var to = KpiHistory.At("2025-07-01T00:00");
        foreach (var metric in new[] { "mttr", "frt", "fcr", "sla", "csat", "escalation", "automation", "deflection", "workflows", "overrides", "approvals", "savings", "backlog" })
        {
            var r = fx.Get(metric, from: from, to: to);
            Assert.Null(r.Value);
            Assert.Equal(0, r.Count);
        }

        Assert.Equal(0, fx.Get("volume", from: from, to: to).Value);
        Assert.Equal("no data", Fmt.Value(fx.Get("fcr", from: from, to: to).Value, "ratio"));
    }

    [Fact]
    public void Summary_holds_the_cards_metrics_and_the_paired_reading()
    {
        var s = fx.Get("summary");
        var metrics = Assert.IsType<List<KpiResult>>(s.Extra["metrics"]);
        Assert.Equal(["mttr", "fcr", "sla", "csat", "escalation", "backlog", "automation"], metrics.Select(m => m.Metric));
        var reading = D(s.Extra["reading"]);
        // MTTR rose from 4 h to 8.375 h and FCR is 25%: slower with rework. SLA 60% and CSAT 67%: late and noticed.
        Assert.StartsWith("Slower with rework", (string)reading["mttrFcr"]!, StringComparison.Ordinal);
        Assert.StartsWith("Late and noticed", (string)reading["slaCsat"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_events_are_folded_in_on_the_next_query()
    {
        using var live = KpiFixture.With(KpiHistory.All());
        Assert.Equal(6, live.Get("volume").Value);
        await live.Store.AppendAsync(ItChatBot.Testing.Events.Of("IT-8").Created(KpiHistory.At("2026-02-20T09:00")).List);
        Assert.Equal(7, live.Get("volume").Value);
    }
}
