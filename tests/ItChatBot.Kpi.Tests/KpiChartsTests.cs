using ItChatBot.Core.Kpi;
using ItChatBot.Host.Kpi;

namespace ItChatBot.Kpi.Tests;

/// <summary>The AI-rate chart draws a week cut at the period's end apart from the whole weeks, and names its length.</summary>
public sealed class KpiChartsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 7, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_thirty_day_period_ends_in_a_two_day_week_that_is_drawn_apart()
    {
        var points = KpiSeries.Buckets(Start, Start.AddDays(30), "week").Select(b => new KpiPoint(b.From, b.To, 0.1, 10)).ToList();

        var partial = KpiCharts.PartialWeek(points);

        Assert.NotNull(partial);
        Assert.Same(points[^1], partial);
        Assert.Equal(TimeSpan.FromDays(2), partial.To - partial.From);
        Assert.Equal("2 days", KpiCharts.DescribeDays(partial.To - partial.From));
    }

    [Fact]
    public void Whole_weeks_have_no_partial_point() =>
        Assert.Null(KpiCharts.PartialWeek([.. KpiSeries.Buckets(Start, Start.AddDays(28), "week").Select(b => new KpiPoint(b.From, b.To, 0.1, 10))]));

    [Theory]
    [InlineData(24, "1 day")]
    [InlineData(36, "1.5 days")]
    [InlineData(143, "6 days")]
    [InlineData(18, "18 hours")]
    [InlineData(0.2, "1 hour")]
    public void A_cut_week_is_named_by_its_length(double hours, string expected) =>
        Assert.Equal(expected, KpiCharts.DescribeDays(TimeSpan.FromHours(hours)));
}
