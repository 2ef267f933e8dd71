using System.Globalization;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Kpi;
using ScottPlot;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// PNG charts (ScottPlot): backlog trend, AI resolution rate over time, time-to-resolve distribution per
/// priority, SLA compliance per priority. Every number comes from the same engine as the cards.
/// </summary>
public sealed class KpiCharts(KpiEngine engine)
{
    public static readonly IReadOnlyList<string> Names = ["backlog", "ai-rate", "ttr", "sla"];

    private static readonly (string Label, double Max)[] TtrBuckets =
        [("<1h", 1), ("1-4h", 4), ("4-8h", 8), ("8-24h", 24), ("1-3d", 72), (">3d", double.MaxValue)];

    /// <summary>The chart that goes with a metric's card, or null when it has none.</summary>
    public static string? ChartOf(string metric) => metric switch
    {
        "summary" or "backlog" => "backlog",
        "automation" => "ai-rate",
        "mttr" => "ttr",
        "sla" => "sla",
        _ => null,
    };

    /// <summary>The last point when its bucket is shorter than a week (the period ended inside it), else null.</summary>
    public static KpiPoint? PartialWeek(IReadOnlyList<KpiPoint> points) =>
        points.Count > 0 && points[^1].To - points[^1].From < TimeSpan.FromDays(7) ? points[^1] : null;

    /// <summary>"2 days", "1 day", "18 hours": the length of a cut week as the chart's legend names it.</summary>
    public static string DescribeDays(TimeSpan span)
    {
        if (span.TotalDays >= 1)
        {
            var days = Math.Round(span.TotalDays, 1, MidpointRounding.AwayFromZero);
            return string.Create(CultureInfo.InvariantCulture, $"{days:0.#} day{(days == 1 ? "" : "s")}");
        }

        var hours = Math.Max(1, (int)Math.Round(span.TotalHours));
        return $"{hours} hour{(hours == 1 ? "" : "s")}";
    }

    public async Task<byte[]> RenderAsync(string name, KpiRequest scope, CancellationToken cancellationToken, int width = 800, int height = 400)
    {
        var plot = new Plot();
        var title = scope.Team is null ? "All teams" : scope.Team;
        switch (name)
        {
            case "backlog":
            {
                var backlog = await engine.ComputeAsync(scope with { Metric = "backlog", By = null }, cancellationToken);
                var trend = (List<Dictionary<string, object?>>)backlog.Extra["trend"]!;
                var xs = trend.Select(p => ((DateTimeOffset)p["weekEnd"]!).UtcDateTime.ToOADate()).ToArray();
                var ys = trend.Select(p => (double)(int)p["open"]!).ToArray();
                plot.Add.Scatter(xs, ys);
                plot.Axes.DateTimeTicksBottom();
                plot.Title($"Backlog (open at week end) · {title}");
                plot.YLabel("open tickets");
                break;
            }

            case "ai-rate":
            {
                var points = await KpiSeries.ComputeAsync(engine, scope with { Metric = "automation" }, "week", cancellationToken);
                var withData = points.Where(p => p.Value is not null).ToList();
                if (withData.Count > 0)
                {
                    // A period is rarely whole weeks: its last week is cut at the period's end. It is drawn apart and named,
                    // so that a rate over two days is not read as a week's. Rates are drawn from 0, so that 9 % beside 14 % is
                    // not a fall to the bottom of the chart.
                    var partial = PartialWeek(withData);
                    var whole = partial is null ? withData : withData[..^1];
                    if (whole.Count > 0)
                    {
                        plot.Add.Scatter(whole.Select(p => p.To.UtcDateTime.ToOADate()).ToArray(), whole.Select(p => p.Value!.Value * 100).ToArray());
                    }

                    if (partial is not null)
                    {
                        var marker = plot.Add.Marker(partial.To.UtcDateTime.ToOADate(), partial.Value!.Value * 100, MarkerShape.OpenCircle, 10);
                        marker.LegendText = $"last {DescribeDays(partial.To - partial.From)} only (the week is cut at the period's end)";
                        plot.ShowLegend(Alignment.LowerLeft);
                    }

                }
                else
                {
                    plot.Add.Annotation("no data");
                }

                plot.Axes.DateTimeTicksBottom();
                if (withData.Count > 0)
                {
                    // After the date axis, which would otherwise scale the chart to its points again.
                    plot.Axes.SetLimitsY(0, Math.Min(105, Math.Max(5, withData.Max(p => p.Value!.Value * 100) * 1.2)));
                }

                plot.Title($"AI resolution rate by week · {title}");
                plot.YLabel("% of resolved tickets");
                break;
            }

            case "ttr":
            {
                var hours = await engine.Index.QueryAsync(ix => ResolutionHours(ix, scope), cancellationToken);
                var palette = new ScottPlot.Palettes.Category10();
                var priorities = hours.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
                for (var p = 0; p < priorities.Count; p++)
                {
                    var counts = TtrBuckets.Select((b, i) => hours[priorities[p]].Count(h => h < b.Max && (i == 0 || h >= TtrBuckets[i - 1].Max))).ToArray();
                    var bars = counts.Select((c, i) => new Bar { Position = (i * (priorities.Count + 1)) + p, Value = c, FillColor = palette.GetColor(p) }).ToList();
                    plot.Add.Bars(bars).LegendText = priorities[p];
                }

                plot.Axes.Bottom.SetTicks(
                    [.. TtrBuckets.Select((_, i) => (double)(i * (priorities.Count + 1)) + ((priorities.Count - 1) / 2d))],
                    [.. TtrBuckets.Select(b => b.Label)]);
                plot.ShowLegend();
                plot.Title($"Time to resolve per priority · {title}");
                plot.YLabel("tickets resolved");
                break;
            }

            case "sla":
            {
                var sla = await engine.ComputeAsync(scope with { Metric = "sla", By = "priority" }, cancellationToken);
                var segments = sla.Segments.Where(s => s.Value is not null).ToList();
                plot.Add.Bars(segments.Select(s => s.Value!.Value * 100).ToArray());
                plot.Axes.Bottom.SetTicks([.. segments.Select((_, i) => (double)i)], [.. segments.Select(s => s.Key)]);
                plot.Axes.SetLimitsY(0, 100);
                plot.Title($"SLA compliance per priority · {title}");
                plot.YLabel("% met");
                break;
            }

            default:
                throw new UsageException($"There is no chart '{name}'.", $"/api/kpi/charts/{{{string.Join("|", Names)}}}.png");
        }

        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Dictionary<string, List<double>> ResolutionHours(KpiIndex ix, KpiRequest scope)
    {
        var from = scope.From.ToUnixTimeMilliseconds();
        var to = scope.To.ToUnixTimeMilliseconds();
        var team = scope.Team is null ? -1 : ix.Teams.FindIgnoreCase(scope.Team) is var t and >= 0 ? t : -2;
        var result = new Dictionary<string, List<double>>();
        foreach (var ticket in ix.Tickets)
        {
            if (ticket.IsResolved && ticket.FinalResolved >= from && ticket.FinalResolved < to && (team == -1 || ticket.Team == team))
            {
                var key = ix.Priorities.Name(ticket.Priority);
                if (!result.TryGetValue(key, out var list))
                {
                    result[key] = list = [];
                }

                list.Add((ticket.FinalResolved - ticket.Created) / 3_600_000d);
            }
        }

        return result;
    }
}
