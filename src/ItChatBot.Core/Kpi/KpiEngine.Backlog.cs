using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Kpi;

public sealed partial class KpiEngine
{
    private const long MsPerWeek = 7 * MsPerDay;

    private static KpiResult Backlog(Query q)
    {
        var weeks = Math.Clamp(q.Options.BacklogWeeks, 1, 104);
        // Week ends oldest first: to - weeks·7d ... to; the first is only the base of the first change.
        var ends = Enumerable.Range(0, weeks + 1).Select(k => q.To - ((weeks - k) * MsPerWeek)).ToArray();
        var total = new int[ends.Length];
        var perCategory = new Dictionary<int, int[]>();
        var open = new List<TicketFacts>();
        var openBefore = new List<TicketFacts>();
        var any = false;
        foreach (var t in q.Ix.Tickets)
        {
            if (!q.InScope(t) || t.Created > q.To)
            {
                continue;
            }

            any = true;
            for (var k = 0; k < ends.Length; k++)
            {
                if (t.IsOpenAt(ends[k]))
                {
                    total[k]++;
                    if (!perCategory.TryGetValue(t.Category, out var counts))
                    {
                        perCategory[t.Category] = counts = new int[ends.Length];
                    }

                    counts[k]++;
                }
            }

            if (t.IsOpenAt(q.To))
            {
                open.Add(t);
            }

            if (t.IsOpenAt(q.From))
            {
                openBefore.Add(t);
            }
        }

        var result = Build(q, "backlog", "tickets", open, openBefore, list => new Agg(any ? list.Count : null, list.Count), t => t.Index);
        var days = (q.To - q.From) / (double)MsPerDay;
        var created = q.Ix.Tickets.Count(t => q.InScope(t) && CreatedIn(t, q.From, q.To));
        result.Extra["ageBuckets"] = new Dictionary<string, object?>
        {
            ["under10Days"] = open.Count(t => q.To - t.Created < 10 * MsPerDay),
            ["days10To30"] = open.Count(t => q.To - t.Created >= 10 * MsPerDay && q.To - t.Created <= 30 * MsPerDay),
            ["over30Days"] = open.Count(t => q.To - t.Created > 30 * MsPerDay),
        };
        result.Extra["averageDailyVolume"] = Stats.Round(created / days);
        result.Extra["backlogRatio"] = Stats.Round(created == 0 || !any ? null : open.Count / (created / days));
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
            ["growth"] = pair.Value[^1] - pair.Value[1],
        }).OrderByDescending(c => (int)c["growth"]!).ThenBy(c => (string)c["category"]!, StringComparer.Ordinal).ToList();
        result.Extra["categories"] = categories;
        result.Extra["growingCategories"] = categories.Where(c => (int)c["growth"]! > 0).Select(c => c["category"]).ToList();
        return result;
    }

    private static KpiResult Insights(Query q)
    {
        var unassisted = new Dictionary<int, int>();
        var spikeWeeks = Math.Clamp(q.Options.SpikeWeeks, 2, 52);
        var weekly = new Dictionary<int, int[]>();
        var created = 0;
        foreach (var t in q.Ix.Tickets)
        {
            if (!q.InScope(t))
            {
                continue;
            }

            if (CreatedIn(t, q.From, q.To))
            {
                created++;
            }

            if (ResolvedIn(t, q.From, q.To) && t.Outcome == Outcome.Unassisted)
            {
                unassisted[t.Category] = unassisted.GetValueOrDefault(t.Category) + 1;
            }

            // Week 0 is the last 7 days before `to`; weeks 1..n before it.
            var age = q.To - 1 - t.Created;
            if (t.Created < q.To && age >= 0 && age / MsPerWeek <= spikeWeeks)
            {
                if (!weekly.TryGetValue(t.Category, out var counts))
                {
                    weekly[t.Category] = counts = new int[spikeWeeks + 1];
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

        var backlog = Backlog(q);
        var result = new KpiResult
        {
            Metric = "insights",
            Team = q.Request.Team,
            From = q.Request.From,
            To = q.Request.To,
            Value = spikes.Count,
            Unit = "spikes",
            Count = created,
            Previous = null,
        };
        result.Extra["automateNext"] = unassisted.OrderByDescending(p => p.Value).ThenBy(p => q.Ix.Categories.Name(p.Key), StringComparer.Ordinal).Take(5)
            .Select(p => new Dictionary<string, object?> { ["category"] = q.Ix.Categories.Name(p.Key), ["unassisted"] = p.Value }).ToList();
        result.Extra["spikes"] = spikes.OrderByDescending(s => (int)s["thisWeek"]!).ToList();
        result.Extra["growingBacklog"] = ((List<Dictionary<string, object?>>)backlog.Extra["categories"]!).Where(c => (int)c["growth"]! > 0).ToList();
        return result;
    }

    private static KpiResult Summary(Query q)
    {
        var volume = Volume(q);
        var metrics = new List<KpiResult>
        {
            Mttr(q), Fcr(q), Sla(q), Csat(q), Escalation(q), Backlog(q), Automation(q),
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
