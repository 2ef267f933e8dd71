namespace ItChatBot.Core.Kpi;

/// <summary>Mean, median and p90 as docs/kpi.md defines them; null for an empty set (no data, never NaN).</summary>
public static class Stats
{
    public static double? Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sum = 0d;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }

    /// <summary>The middle value; the mean of the two middle values for an even count. Sorts <paramref name="values"/>.</summary>
    public static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>Nearest rank: the smallest value with at least p of the values at or below it. Sorts <paramref name="values"/>.</summary>
    public static double? Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(p * values.Count);
        return values[Math.Clamp(rank, 1, values.Count) - 1];
    }

    public static double? Ratio(int part, int whole) => whole == 0 ? null : (double)part / whole;

    public static double? Round(double? value, int digits = 6) => value is { } v ? Math.Round(v, digits) : null;
}
