using ItChatBot.Core.Kpi;

namespace ItChatBot.Kpi.Tests;

/// <summary>Median and p90 are found by selection, not by sorting: they must equal the sorted list's values exactly.</summary>
public sealed class StatsTests
{
    [Fact]
    public void Median_and_percentiles_equal_those_of_the_sorted_values()
    {
        var random = new Random(3);
        List<List<double>> shapes = [[1], [2, 1], [3, 1, 2], [5, 5, 5, 5], [1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]];
        for (var n = 1; n < 300; n += 7)
        {
            shapes.Add([.. Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 100, 1))]);
            shapes.Add([.. Enumerable.Range(0, n).Select(_ => (double)random.Next(4))]); // many equal values
            shapes.Add([.. Enumerable.Range(0, n).Select(i => (double)i)]);
        }

        foreach (var values in shapes)
        {
            var sorted = values.Order().ToList();
            var mid = sorted.Count / 2;
            var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            Assert.Equal(median, Stats.Median([.. values]));
            foreach (var p in new[] { 0.1, 0.5, 0.9, 1.0 })
            {
                var rank = Math.Clamp((int)Math.Ceiling(p * sorted.Count), 1, sorted.Count);
                Assert.Equal(sorted[rank - 1], Stats.Percentile([.. values], p));
            }
        }

        Assert.Null(Stats.Median([]));
        Assert.Null(Stats.Percentile([], 0.9));
    }
}
