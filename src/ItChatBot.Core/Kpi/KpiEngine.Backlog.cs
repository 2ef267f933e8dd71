using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Kpi;

public sealed partial class KpiEngine
{
    private const long MsPerWeek = 7 * MsPerDay;

    private static KpiResult Backlog(Query q) => Backlog(q, q.Scan(Need.Backlog | Need.Created));

    private static KpiResult Backlog(Query q, Selection s)
    {
        var weeks = s.WeekEnds.Length - 1;
        var ends = s.WeekEnds;
        var total = s.OpenAtWeekEnd;
        var perCategory = s.OpenAtWeekEndByCategory;
        var any = s.AnyBacklog;
        var created = q.C.Created;
        // Nothing in scope created yet at the period's end (or the previous period's): no data, not an empty backlog.
        var result = Build(q, "backlog", "tickets", s.Open, s.OpenBefore,
            list => new Agg((ReferenceEquals(list, s.OpenBefore) ? s.AnyBacklogBefore : any) ? list.Count : null, list.Count), i => i);

        var days = (q.To - q.From) / (double)MsPerDay;
        var volume = s.Created.Count;
        result.Extra["ageBuckets"] = new Dictionary<string, object?>
        {
            ["under10Days"] = s.Open.Count(i => q.To - created[i] < 10 * MsPerDay),
            ["days10To30"] = s.Open.Count(i => q.To - created[i] >= 10 * MsPerDay && q.To - created[i] <= 30 * MsPerDay),
            ["over30Days"] = s.Open.Count(i => q.To - created[i] > 30 * MsPerDay),
        };
        result.Extra["averageDailyVolume"] = Stats.Round(volume / days);
        result.Extra["backlogRatio"] = Stats.Round(volume == 0 || !any ? null : s.Open.Count / (volume / days));
        result.Extra["trend"] = Enumerable.Range(1, weeks).Select(k => new Dictionary<string, object?>
        {
            ["weekEnd"] = DateTimeOffset.FromUnixTimeMilliseconds(ends[k]),
            ["open"] = total[k],
            ["change"] = total[k] - total[k - 1],
        }).ToList();
        var categories = perCategory.Select(pair => new Dictionary<string, object?>
        {
            ["category"] = q.Ix.Categories.Name(pair.Key),
            ["open"] = pair.Value[^1],
            ["change"] = pair.Value[^1] - pair.Value[^2],
            ["growth"] = pair.Value[^1] - pair.Value[0], // over the trend: the sum of its rows' changes, the first week's included
        }).OrderByDescending(c => (int)c["growth"]!).ThenBy(c => (string)c["category"]!, StringComparer.Ordinal).ToList();
        result.Extra["categories"] = categories;
        result.Extra["growingCategories"] = categories.Where(c => (int)c["growth"]! > 0).Select(c => c["category"]).ToList();
        return result;
    }

    private static KpiResult Insights(Query q) => Insights(q, withPrevious: true);

    /// <summary>Insights; the previous period's spike count and volume (DESIGN §6 <c>previous</c>) from the same computation over it.</summary>
    private static KpiResult Insights(Query q, bool withPrevious)
    {
        var unassisted = new Dictionary<int, int>();
        var spikeWeeks = Math.Clamp(q.Options.SpikeWeeks, 2, 52);
        var weekly = new Dictionary<int, int[]>();
        var created = 0;
        var c = q.C;
        var unassistedOutcome = TicketColumns.Encode(Outcome.Unassisted);
        for (var i = 0; i < c.Count; i++)
        {
            if (!q.InScope(i))
            {
                continue;
            }

            var createdAt = c.Created[i];
            if (createdAt >= q.From && createdAt < q.To)
            {
                created++;
            }

            var resolvedAt = c.Resolved[i];
            if (resolvedAt != TicketColumns.None && resolvedAt >= q.From && resolvedAt < q.To && c.Outcome[i] == unassistedOutcome)
            {
                unassisted[c.Category[i]] = unassisted.GetValueOrDefault(c.Category[i]) + 1;
            }

            // Week 0 is the last 7 days before `to`; weeks 1..n before it.
            var age = q.To - 1 - createdAt;
            if (createdAt < q.To && age >= 0 && age / MsPerWeek <= spikeWeeks)
            {
                if (!weekly.TryGetValue(c.Category[i], out var counts))
                {
                    weekly[c.Category[i]] = counts = new int[spikeWeeks + 1];
                }

                counts[age / MsPerWeek]++;
            }
        }

        var spikes = new List<Dictionary<string, object?>>();
        foreach (var (category, counts) in weekly)
        {
            var history = counts.Skip(1).Select(c => (double)c).ToArray();
            var mean = history.Average();
            var sigma = Math.Sqrt(history.Sum(c => (c - mean) * (c - mean)) / history.Length);
            var threshold = mean + (q.Options.SpikeSigma * sigma);
            if (counts[0] > threshold && counts[0] >= q.Options.SpikeMinimum)
            {
                spikes.Add(new()
                {
                    ["category"] = q.Ix.Categories.Name(category),
                    ["thisWeek"] = counts[0],
                    ["mean"] = Math.Round(mean, 3),
                    ["sigma"] = Math.Round(sigma, 3),
                    ["threshold"] = Math.Round(threshold, 3),
                });
            }
        }

        var backlog = withPrevious ? Backlog(q) : null;
        var before = withPrevious ? Insights(q.Previous(), withPrevious: false) : null;
        var result = new KpiResult
        {
            Metric = "insights",
            Team = q.Request.Team,
            From = q.Request.From,
            To = q.Request.To,
            Value = spikes.Count,
            Unit = "spikes",
            Count = created,
            Previous = before is null ? null : new KpiPrevious(before.From, before.To, before.Value, before.Count),
        };
        result.Extra["automateNext"] = unassisted.OrderByDescending(p => p.Value).ThenBy(p => q.Ix.Categories.Name(p.Key), StringComparer.Ordinal).Take(5)
            .Select(p => new Dictionary<string, object?> { ["category"] = q.Ix.Categories.Name(p.Key), ["unassisted"] = p.Value }).ToList();
        result.Extra["spikes"] = spikes.OrderByDescending(s => (int)s["thisWeek"]!).ToList();
        result.Extra["growingBacklog"] = backlog is null ? null : ((List<Dictionary<string, object?>>)backlog.Extra["categories"]!).Where(c => (int)c["growth"]! > 0).ToList();
        return result;
    }

    /// <summary>The summary card's metrics from one shared scan of the tickets (each metric alone would scan again).</summary>
    private static KpiResult Summary(Query q)
    {
        var s = q.Scan(Need.Created | Need.Resolved | Need.Sla | Need.Response | Need.Backlog);
        var volume = Volume(q, s);
        var metrics = new List<KpiResult>
        {
            Mttr(q, s), Fcr(q, s), Sla(q, s), Csat(q), Escalation(q, s), Backlog(q, s), Automation(q, s),
        };
        var result = new KpiResult
        {
            Metric = "summary",
            Team = q.Request.Team,
            From = q.Request.From,
            To = q.Request.To,
            Value = volume.Value,
            Unit = "tickets",
            Count = volume.Count,
            Previous = volume.Previous,
        };
        result.Extra["metrics"] = metrics;
        result.Extra["reading"] = PairedReading.Describe(metrics[0], metrics[1], metrics[2], metrics[3], q.Options.Reading);
        return result;
    }
}
