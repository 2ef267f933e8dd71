using ItChatBot.Core.Kpi;

namespace ItChatBot.Kpi.Tests;

public sealed class KpiCardTests
{
    [Fact]
    public void A_volume_spikes_threshold_is_shown_as_cards_show_numbers()
    {
        var insights = new KpiResult
        {
            Metric = "insights",
            Team = "IT",
            From = KpiHistory.From,
            To = KpiHistory.To,
            Unit = "spikes",
            Value = 1,
            Extra =
            {
                ["automateNext"] = new List<Dictionary<string, object?>>(),
                ["spikes"] = new List<Dictionary<string, object?>> { new() { ["category"] = "network", ["thisWeek"] = 24, ["threshold"] = 21.405 } },
                ["growingBacklog"] = new List<Dictionary<string, object?>>(),
            },
        };

        var card = KpiCards.Metric(insights, TimeZoneInfo.Utc);

        Assert.Contains("• network: 24 (threshold 21.41)", card.Text, StringComparison.Ordinal);
    }
}
