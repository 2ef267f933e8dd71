using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Tests;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("3d", "3d", "3 days")]
    [InlineData("a day", "1d", "1 day")]
    [InlineData("a week", "7d", "7 days")]
    [InlineData("an hour", "1h", "1 hour")]
    [InlineData("36 hours", "36h", "36 hours")]
    [InlineData("90m", "90m", "90 minutes")]
    [InlineData("1 minute", "1m", "1 minute")]
    public void A_duration_is_kept_compact_and_read_by_people_in_words_and_both_forms_read_back_the_same(string written, string kept, string described)
    {
        Assert.True(DurationText.TryParse(written, out var duration));

        Assert.Equal(kept, DurationText.Format(duration));
        Assert.Equal(described, DurationText.Describe(duration));
        Assert.True(DurationText.TryParse(described, out var again));
        Assert.Equal(duration, again);
    }
}
