using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Kpi;

/// <summary>One bucket of a KPI time series.</summary>
public sealed record KpiPoint(DateTimeOffset From, DateTimeOffset To, double? Value, int Count);

/// <summary>A metric over consecutive buckets (day, week, month) of a period, for charts and CSV exports.</summary>
public static class KpiSeries
{
    public static readonly IReadOnlyList<string> Intervals = ["day", "week", "month"];

    public static Task<List<KpiPoint>> ComputeAsync(KpiEngine engine, KpiRequest request, string interval, CancellationToken cancellationToken) =>
        engine.Index.QueryAsync(ix =>
        {
            var now = engine.Clock.GetUtcNow();
            return Buckets(request.From, request.To, interval)
                .Select(b => engine.Compute(ix, request with { From = b.From, To = b.To, By = null }, now))
                .Select(r => new KpiPoint(r.From, r.To, r.Value, r.Count))
                .ToList();
        }, cancellationToken);

    /// <summary>Buckets from <paramref name="from"/>; the last one is cut at <paramref name="to"/>. At most 400.</summary>
    public static List<(DateTimeOffset From, DateTimeOffset To)> Buckets(DateTimeOffset from, DateTimeOffset to, string interval)
    {
        Func<DateTimeOffset, DateTimeOffset> next = interval switch
        {
            "day" => d => d.AddDays(1),
            "week" => d => d.AddDays(7),
            "month" => d => d.AddMonths(1),
            _ => throw new UsageException($"'{interval}' is not an interval; use day, week or month.", "interval=day|week|month"),
        };
        var buckets = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var start = from; start < to; start = next(start))
        {
            var end = next(start);
            buckets.Add((start, end < to ? end : to));
            if (buckets.Count > 400)
            {
                throw new UsageException("That makes more than 400 buckets; use a longer interval or a shorter period.", "interval=day|week|month");
            }
        }

        return buckets;
    }
}
