using System.Text;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Sla;
using Microsoft.Extensions.Options;

namespace ItChatBot.Benchmarks.Kpi;

/// <summary>
/// <c>--dump FILE</c>: every metric × team × period × segmentation over a generated history, written as JSON, so two
/// builds of the engine can be diffed (a rewrite for speed must give exactly the same numbers). Half the history is
/// applied, asked once (so the rollups' incremental path is taken), then the rest is applied before the answers are written.
/// </summary>
internal static class EquivalenceDump
{
    public static async Task RunAsync(string path, int tickets, DateTimeOffset end, int days)
    {
        var teams = new SupportTeams([]);
        var index = new KpiIndex(new EmptyLog(), new SlaPolicies(teams));
        var batches = new HistoryGenerator(7, end, days).Batches(tickets, 500).ToList();
        var half = batches.Count / 2;
        foreach (var batch in batches.Take(half))
        {
            index.ApplyAll(batch);
        }

        var engines = new[] { end, end.AddDays(-45) }
            .Select(now => new KpiEngine(index, teams, Options.Create(new KpiOptions()), new FixedClock(now))).ToList();
        await engines[0].ComputeAsync(new KpiRequest("summary", "IT", end.AddDays(-30), end));
        foreach (var batch in batches.Skip(half))
        {
            index.ApplyAll(batch);
        }

        var json = new JsonSerializerOptions { WriteIndented = false };
        var periods = new (DateTimeOffset From, DateTimeOffset To)[]
        {
            (end.AddDays(-30), end), (end.AddDays(-7), end), (end.AddDays(-90), end), (end.AddDays(-200), end),
            (new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            (end.AddDays(-days - 10), end.AddDays(-days + 20)), (end.AddDays(-60), end.AddDays(-30)),
        };
        var metrics = KpiRequest.Metrics.Where(m => m != "tech").ToList();
        var bys = new string?[] { null }.Concat(KpiRequest.Dimensions).ToList();
        var output = new StringBuilder();
        var computations = 0;
        foreach (var engine in engines)
        {
            foreach (var (from, to) in periods)
            {
                foreach (var team in new[] { null, "IT", "HR", "Nope" })
                {
                    foreach (var metric in metrics)
                    {
                        foreach (var by in bys)
                        {
                            foreach (var tech in new[] { null, "alice" })
                            {
                                if (tech is not null && by is not (null or "category"))
                                {
                                    continue;
                                }

                                var request = new KpiRequest(metric, team, from, to, by, tech);
                                string answer;
                                try
                                {
                                    answer = JsonSerializer.Serialize(await engine.ComputeAsync(request), json);
                                }
                                catch (UsageException e)
                                {
                                    answer = "usage: " + e.Message;
                                }

                                computations++;
                                output.Append(request).Append(" now=").Append(engine.Clock.GetUtcNow().ToString("O")).Append('\n').Append(answer).Append('\n');
                            }
                        }
                    }
                }
            }

            foreach (var metric in new[] { "mttr", "fcr", "backlog", "sla" })
            {
                var series = await KpiSeries.ComputeAsync(engine, new KpiRequest(metric, "IT", end.AddDays(-90), end), "week", CancellationToken.None);
                output.Append("series ").Append(metric).Append('\n').Append(JsonSerializer.Serialize(series, json)).Append('\n');
            }
        }

        await File.WriteAllTextAsync(path, output.ToString());
        Console.WriteLine($"dumped {computations} answers over {index.Tickets.Count} tickets to {path}");
    }
}
