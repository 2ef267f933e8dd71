using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>
/// The rollups behind the metrics (ticket columns, per-group creation times, the shared summary scan): edges of
/// the FCR window, a ticket moving between periods and teams as events arrive, and the incremental rollups giving
/// exactly what a rebuild from the whole log gives.
/// </summary>
public sealed class KpiIndexTests
{
    private static void Near(double expected, double? actual) => Assert.Equal(expected, Assert.NotNull(actual), 5);

    [Fact]
    public void Fcr_follow_up_window_is_open_at_the_resolution_and_closed_at_seven_days()
    {
        var events = new List<TicketEvent>();
        // U9: IT-1 resolved Mon 2 Feb 10:00; IT-2 (same category) created exactly 7 days later: a follow-up, IT-1 fails.
        events.AddRange(Events.Of("IT-1").Created(At("2026-02-02T09:00"), "P3", "IT", "vpn", "U9").Resolved(At("2026-02-02T10:00"), "A1", ActorKind.Agent).List);
        events.AddRange(Events.Of("IT-2").Created(At("2026-02-09T10:00"), "P3", "IT", "vpn", "U9").List);
        // U8: IT-4 one millisecond after the 7 days: no follow-up, IT-3 counts.
        events.AddRange(Events.Of("IT-3").Created(At("2026-02-03T09:00"), "P3", "IT", "vpn", "U8").Resolved(At("2026-02-03T10:00"), "A1", ActorKind.Agent).List);
        events.AddRange(Events.Of("IT-4").Created(At("2026-02-10T10:00").AddMilliseconds(1), "P3", "IT", "vpn", "U8").List);
        // U7: IT-6 created at the very instant IT-5 was resolved (not after it), IT-7 in another category: IT-5 counts.
        events.AddRange(Events.Of("IT-5").Created(At("2026-02-04T09:00"), "P3", "IT", "vpn", "U7").Resolved(At("2026-02-04T10:00"), "A1", ActorKind.Agent).List);
        events.AddRange(Events.Of("IT-6").Created(At("2026-02-04T10:00"), "P3", "IT", "vpn", "U7").List);
        events.AddRange(Events.Of("IT-7").Created(At("2026-02-05T10:00"), "P3", "IT", "email", "U7").List);
        // U6: IT-9 created while IT-8 was still open (before its resolution): not a follow-up, IT-8 counts.
        events.AddRange(Events.Of("IT-8").Created(At("2026-02-05T09:00"), "P3", "IT", "vpn", "U6").Resolved(At("2026-02-06T09:00"), "A1", ActorKind.Agent).List);
        events.AddRange(Events.Of("IT-9").Created(At("2026-02-05T12:00"), "P3", "IT", "vpn", "U6").List);
        using var fx = KpiFixture.With(events);

        var fcr = fx.Get("fcr", by: "category");
        Assert.Equal(4, fcr.Count);
        Near(0.75, fcr.Value);
        Assert.Equal(3, fcr.Extra["firstContact"]);

        // An 8-day window catches IT-4 too; IT-6 (at the resolution instant) and IT-9 (before it) never count.
        using var longer = KpiFixture.With(events, new KpiOptions { FcrFollowUpDays = 8 });
        Near(0.5, longer.Get("fcr").Value);
    }

    [Fact]
    public async Task A_ticket_imported_out_of_order_becomes_an_earlier_tickets_follow_up()
    {
        // IT-1 resolved 2 Feb; the requester's next vpn ticket known so far is IT-3 on 20 Feb: no follow-up.
        using var fx = KpiFixture.With([
            .. Events.Of("IT-1").Created(At("2026-02-02T09:00"), "P3", "IT", "vpn", "U1").Resolved(At("2026-02-02T10:00"), "A1", ActorKind.Agent).List,
            .. Events.Of("IT-3").Created(At("2026-02-20T09:00"), "P3", "IT", "vpn", "U1").List]);
        Near(1, fx.Get("fcr").Value);

        // An import then brings IT-2 of 5 Feb, earlier than IT-3: it is IT-1's follow-up.
        await fx.Store.AppendAsync(Events.Of("IT-2").Created(At("2026-02-05T09:00"), "P3", "IT", "vpn", "U1").List);
        Near(0, fx.Get("fcr").Value);
        using var rebuilt = KpiFixture.With(await ReadAllAsync(fx));
        Assert.Equal(Json(rebuilt.Get("fcr")), Json(fx.Get("fcr")));
    }

    [Fact]
    public async Task A_reopened_ticket_leaves_its_period_and_counts_again_where_it_is_resolved_again()
    {
        var march = (From: At("2026-03-01T00:00"), To: At("2026-04-01T00:00"));
        using var fx = KpiFixture.With(Events.Of("IT-1").Created(At("2026-02-20T09:00"), "P3", "IT", "network", "U1")
            .Assigned(At("2026-02-20T09:10"), "A1").Resolved(At("2026-02-25T09:00"), "A1", ActorKind.Agent).List);
        var feb = fx.Get("mttr");
        Assert.Equal(1, feb.Count);
        Near(120, feb.Value);
        Assert.Null(fx.Get("mttr", from: march.From, to: march.To).Value);

        // Reopened in March: February has no resolution left, and the ticket is open again at the end of March.
        await fx.Store.AppendAsync(Events.Of("IT-1").Reopened(At("2026-03-02T09:00")).List);
        Assert.Null(fx.Get("mttr").Value);
        Assert.Null(fx.Get("fcr").Value);
        Assert.Equal(0, fx.Get("backlog").Value); // at 1 March 00:00 it was still resolved
        Assert.Equal(1, fx.Get("backlog", from: march.From, to: march.To).Value);

        // Resolved again in March: it counts there, from creation to the final resolution (11 days), and not as first contact.
        await fx.Store.AppendAsync(Events.Of("IT-1").Resolved(At("2026-03-03T09:00"), "A1", ActorKind.Agent).List);
        Assert.Null(fx.Get("mttr").Value);
        var m = fx.Get("mttr", from: march.From, to: march.To);
        Assert.Equal(1, m.Count);
        Near(264, m.Value);
        Near(0, fx.Get("fcr", from: march.From, to: march.To).Value);
        Assert.Equal(0, fx.Get("backlog", from: march.From, to: march.To).Value);

        // Between the reopen and the second resolution it was open; a week before, open (not yet resolved the first time).
        var b = fx.Get("backlog", from: march.From, to: At("2026-03-02T12:00"));
        Assert.Equal(1, b.Value);
        Assert.Equal(0, b.Previous!.Value);
        var trend = Assert.IsType<List<Dictionary<string, object?>>>(b.Extra["trend"]);
        Assert.Equal(1, trend[^1]["open"]);
        Assert.Equal(1, trend[^2]["open"]);
        Assert.Equal(0, trend[^3]["open"]);

        using var rebuilt = KpiFixture.With(await ReadAllAsync(fx));
        foreach (var (from, to) in new[] { (From, To), march, (march.From, At("2026-03-02T12:00")) })
        {
            foreach (var metric in new[] { "summary", "mttr", "fcr", "backlog", "sla", "automation" })
            {
                Assert.Equal(Json(rebuilt.Get(metric, from: from, to: to)), Json(fx.Get(metric, from: from, to: to)));
            }
        }
    }

    [Fact]
    public async Task An_escalation_to_another_team_moves_the_ticket_in_every_scope()
    {
        using var fx = KpiFixture.With(Events.Of("IT-1").Created(At("2026-02-02T09:00"), "P2", "IT", "payroll", "U1").List);
        Assert.Equal(1, fx.Get("volume").Value);
        Assert.Equal(0, fx.Get("volume", team: "HR").Value);

        await fx.Store.AppendAsync(Events.Of("IT-1")
            .Add(EventType.Escalated, At("2026-02-02T10:00"), "A1", ActorKind.Agent, (EventData.ToTeam, "HR"), (EventData.Assignee, "hana"))
            .Add(EventType.PriorityChanged, At("2026-02-02T10:05"), "hana", ActorKind.Agent, (EventData.Priority, "P4"))
            .Resolved(At("2026-02-02T12:00"), "hana", ActorKind.Agent).List);

        Assert.Equal(0, fx.Get("volume").Value);
        var hr = fx.Get("mttr", team: "HR");
        Assert.Equal(1, hr.Count);
        Near(3, hr.Value);
        Assert.Equal("P4", Assert.Single(hr.Segments).Key);
        Near(1, fx.Get("escalation", team: "HR").Value);
        Assert.Equal("hana", Assert.Single(fx.Get("volume", team: null, by: "tech").Segments).Key);
    }

    [Fact]
    public async Task A_category_change_moves_the_ticket_in_category_segments_and_in_the_fcr_follow_up_rule()
    {
        // U1's hardware ticket IT-1 is resolved; three days later U1 asks again, triaged as general, so IT-1 is first-contact.
        var events = new List<TicketEvent>();
        events.AddRange(Events.Of("IT-1").Created(At("2026-02-02T09:00"), "P3", "IT", "hardware", "U1").Resolved(At("2026-02-02T12:00"), "A1", ActorKind.Agent).List);
        events.AddRange(Events.Of("IT-2").Created(At("2026-02-05T09:00"), "P3", "IT", "general", "U1").List);
        using var fx = KpiFixture.With(events);
        Near(1, fx.Get("fcr").Value);
        Assert.Equal(["general", "hardware"], fx.Get("volume", by: "category").Segments.Select(s => s.Key).Order(StringComparer.Ordinal));

        // An agent puts IT-2 in hardware: it is a follow-up of IT-1 after all, and counts in hardware.
        var change = Events.Of("IT-2").Add(EventType.CategoryChanged, At("2026-02-05T10:00"), "A1", ActorKind.Agent, (EventData.Category, "hardware")).List;
        await fx.Store.AppendAsync(change);

        Near(0, fx.Get("fcr").Value);
        var hardware = Assert.Single(fx.Get("volume", by: "category").Segments);
        Assert.Equal(("hardware", 2.0), (hardware.Key, hardware.Value));
        using var rebuilt = KpiFixture.With([.. events, .. change]);
        Assert.Equal(Json(rebuilt.Get("fcr", by: "category")), Json(fx.Get("fcr", by: "category")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rollups_kept_up_event_by_event_equal_a_rebuild_from_the_whole_log(bool newestFirst)
    {
        // Small chunks, so many tickets have events on both sides of a catch-up (an escalation here, its resolution later).
        // Appended newest chunk first, creations land before ones already seen (an import out of order).
        var chunks = MixedHistory(seed: 11, tickets: 60).Chunk(15).ToList();
        if (newestFirst)
        {
            chunks.Reverse();
        }

        var all = chunks.SelectMany(c => c).ToList();
        using var live = KpiFixture.With(chunks[0]);
        foreach (var chunk in chunks.Skip(1))
        {
            // Ask first, so the next chunk lands on rollups that have already been built and scanned.
            Assert.NotNull(live.Get("summary", team: null));
            await live.Store.AppendAsync(chunk);
        }

        using var rebuilt = KpiFixture.With(all);
        var periods = new[] { (From, To), (To, At("2026-04-01T00:00")), (At("2026-02-15T00:00"), At("2026-03-15T00:00")) };
        var compared = 0;
        foreach (var (from, to) in periods)
        {
            foreach (var metric in KpiRequest.Metrics.Where(m => m != "tech"))
            {
                foreach (var by in new string?[] { null }.Concat(KpiRequest.Dimensions))
                {
                    foreach (var team in new[] { null, "IT", "HR" })
                    {
                        Assert.Equal(Answer(rebuilt, metric, team, by, from, to), Answer(live, metric, team, by, from, to));
                        compared++;
                    }
                }
            }
        }

        Assert.Equal(3 * 17 * 7 * 3, compared);
        // The history is not trivial: resolutions, reopens and SLA decisions land in the periods compared.
        var summary = live.Get("summary", team: null, from: From, to: At("2026-04-01T00:00"));
        var metrics = Assert.IsType<List<KpiResult>>(summary.Extra["metrics"]);
        Assert.True(metrics.Single(m => m.Metric == "mttr").Count > 20);
        Assert.True(metrics.Single(m => m.Metric == "sla").Count > 20);
        Assert.True(metrics.Single(m => m.Metric == "fcr").Value < 1);
    }

    [Fact]
    public void The_summary_shares_one_scan_yet_equals_each_metric_asked_alone()
    {
        using var fx = KpiFixture.With(MixedHistory(seed: 5, tickets: 40));
        foreach (var team in new[] { null, "IT", "HR" })
        {
            var summary = fx.Get("summary", team: team);
            Assert.Equal(Json(fx.Get("volume", team: team).Previous), Json(summary.Previous));
            foreach (var m in Assert.IsType<List<KpiResult>>(summary.Extra["metrics"]))
            {
                Assert.Equal(Json(fx.Get(m.Metric, team: team)), Json(m));
            }
        }
    }

    private static string Answer(KpiFixture fx, string metric, string? team, string? by, DateTimeOffset from, DateTimeOffset to)
    {
        try
        {
            return Json(fx.Get(metric, team: team, by: by, from: from, to: to));
        }
        catch (UsageException e)
        {
            return "usage: " + e.Message;
        }
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    private static async Task<List<TicketEvent>> ReadAllAsync(KpiFixture fx)
    {
        var events = new List<TicketEvent>();
        await foreach (var e in fx.Store.ReadAllAsync())
        {
            events.Add(e with { Seq = 0 });
        }

        return events;
    }

    /// <summary>
    /// A seeded history over February and March 2026 with everything the rollups fold: automation, waits, escalations
    /// (some to another team), priority changes, reopens, surveys, deflections and repeat requesters (FCR follow-ups),
    /// in time order as a log holds it.
    /// </summary>
    private static List<TicketEvent> MixedHistory(int seed, int tickets)
    {
        var random = new Random(seed);
        var events = new List<TicketEvent>();
        string[] categories = ["access", "vpn", "hardware"];
        for (var n = 1; n <= tickets; n++)
        {
            var team = random.NextDouble() < 0.75 ? "IT" : "HR";
            var key = $"{(team == "IT" ? "IT" : "HR")}-{n}";
            var at = At("2026-01-25T00:00").AddHours(random.Next(24 * 60));
            DateTimeOffset Next(int maxMinutes) => at = at.AddMinutes(1 + random.Next(maxMinutes));
            var b = Events.Of(key).Created(at, $"P{1 + random.Next(4)}", team, categories[random.Next(categories.Length)], $"U{random.Next(6)}");
            if (random.NextDouble() < 0.1)
            {
                events.Add(TicketEvent.New(null, EventType.Deflected, at, "U9", ActorKind.Requester,
                    new Dictionary<string, string> { [EventData.Team] = team, [EventData.Category] = "vpn" }));
            }

            if (random.NextDouble() < 0.3)
            {
                b.WorkflowStarted(Next(5)).Responded(Next(5), "automation", ActorKind.Automation);
                if (random.NextDouble() < 0.7)
                {
                    b.WorkflowCompleted(Next(60)).Resolved(Next(5));
                    events.AddRange(b.List);
                    continue;
                }

                b.WorkflowFailed(Next(60));
            }

            var agent = random.NextDouble() < 0.5 ? "alice" : "bob";
            b.Assigned(Next(300), agent);
            if (random.NextDouble() < 0.8)
            {
                b.Responded(Next(600), agent, ActorKind.Agent);
            }

            if (random.NextDouble() < 0.2)
            {
                b.Status(Next(300), TicketStatus.WaitingOnRequester, agent).Status(Next(3000), TicketStatus.InProgress, "U1", ActorKind.Requester);
            }

            if (random.NextDouble() < 0.15)
            {
                b.Add(EventType.PriorityChanged, Next(200), agent, ActorKind.Agent, (EventData.Priority, $"P{1 + random.Next(4)}"));
            }

            if (random.NextDouble() < 0.1)
            {
                b.Add(EventType.CategoryChanged, Next(200), agent, ActorKind.Agent, (EventData.Category, random.NextDouble() < 0.5 ? "vpn" : "email"));
            }

            if (random.NextDouble() < 0.2)
            {
                var toHr = random.NextDouble() < 0.4;
                b.Add(EventType.Escalated, Next(600), agent, ActorKind.Agent, toHr ? (EventData.ToTeam, "HR") : (EventData.ToTier, "L2"), (EventData.Assignee, "carol"));
            }

            if (random.NextDouble() < 0.15)
            {
                events.AddRange(b.List); // still open
                continue;
            }

            b.Resolved(Next(5000), agent, ActorKind.Agent);
            if (random.NextDouble() < 0.2)
            {
                b.Reopened(Next(4000)).Resolved(Next(3000), agent, ActorKind.Agent);
            }

            if (random.NextDouble() < 0.6)
            {
                b.Add(EventType.SurveySent, Next(60), "automation", ActorKind.Automation);
                if (random.NextDouble() < 0.6)
                {
                    b.Survey(Next(600), 1 + random.Next(5));
                }
            }

            events.AddRange(b.List);
        }

        // The log's order is time order; a stable sort keeps each ticket's same-instant events in their order.
        return [.. events.OrderBy(e => e.At)];
    }
}
