using System.Runtime.InteropServices;

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

    /// <summary>The middle value; the mean of the two middle values for an even count. Reorders <paramref name="values"/>.</summary>
    public static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var v = CollectionsMarshal.AsSpan(values);
        var mid = v.Length / 2;
        var upper = Select(v, mid);
        if (v.Length % 2 == 1)
        {
            return upper;
        }

        // Selection leaves everything before the middle at or below it: the lower middle value is their maximum.
        var lower = v[0];
        foreach (var x in v[..mid])
        {
            lower = Math.Max(lower, x);
        }

        return (lower + upper) / 2;
    }

    /// <summary>Nearest rank: the smallest value with at least p of the values at or below it. Reorders <paramref name="values"/>.</summary>
    public static double? Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * values.Count);
        return Select(CollectionsMarshal.AsSpan(values), Math.Clamp(rank, 1, values.Count) - 1);
    }

    /// <summary>
    /// The k-th smallest value (0-based), by Hoare's selection: O(n) on average where a sort is O(n log n), which is
    /// what MTTR's median and p90 over tens of thousands of tickets per period and segment cost. Leaves values at or
    /// below it before index k and values at or above it after.
    /// </summary>
    private static double Select(Span<double> v, int k)
    {
        int lo = 0, hi = v.Length - 1;
        while (lo < hi)
        {
            var pivot = MedianOfThree(v[lo], v[lo + ((hi - lo) / 2)], v[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (v[i] < pivot)
                {
                    i++;
                }

                while (v[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (v[i], v[j]) = (v[j], v[i]);
                    i++;
                    j--;
                }
            }

            // Now v[lo..j] <= pivot <= v[i..hi], and anything strictly between j and i equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return v[k];
            }
        }

        return v[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    public static double? Ratio(int part, int whole) => whole == 0 ? null : (double)part / whole;

    public static double? Round(double? value, int digits = 6) => value is { } v ? Math.Round(v, digits) : null;
}
