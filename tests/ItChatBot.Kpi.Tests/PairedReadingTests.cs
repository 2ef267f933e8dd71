using ItChatBot.Core.Kpi;

namespace ItChatBot.Kpi.Tests;

public sealed class PairedReadingTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static KpiResult Result(string metric, string unit, double? value, double? previous) => new()
    {
        Metric = metric,
        Unit = unit,
        From = From,
        To = From.AddDays(30),
        Value = value,
        Count = 10,
        Previous = new KpiPrevious(From.AddDays(-30), From, previous, previous is null ? 0 : 10),
    };

    [Theory]
    [InlineData(20.0, 10.0, 0.8, "Thorough but slower: 80% resolved at first contact while MTTR rose.")]
    [InlineData(10.0, 20.0, 0.8, "Efficient: resolving as fast or faster, and 80% resolved at first contact.")]
    [InlineData(10.0, 20.0, 0.5, "Speed bought with rework: resolving faster, but only 50% resolved at first contact.")]
    // No previous MTTR: before, these read "Efficient: resolving as fast or faster" and "resolving faster", against a
    // period with nothing resolved.
    [InlineData(10.0, null, 0.8, "80% resolved at first contact; no previous period to tell whether resolving got faster.")]
    [InlineData(10.0, null, 0.5, "Only 50% resolved at first contact; look at reopens and escalations. No previous period to tell whether resolving got faster.")]
    public void Speed_is_read_against_the_previous_period_only_when_it_has_an_mttr(double mttr, double? previous, double fcr, string expected)
    {
        var reading = PairedReading.SpeedAndRework(Result("mttr", "hours", mttr, previous), Result("fcr", "ratio", fcr, null), new PairedReadingOptions());

        Assert.Equal(expected, reading);
    }
}
