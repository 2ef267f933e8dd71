using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Tests;

public sealed class UntilTextTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("access to Figma until Friday", "friday")]
    [InlineData("admin till thurs please", "thursday")]
    [InlineData("until the end of the week", UntilText.EndOfWeek)]
    [InlineData("through end of week", UntilText.EndOfWeek)]
    [InlineData("I need it till end of day", UntilText.EndOfDay)]
    [InlineData("until tonight", UntilText.EndOfDay)]
    [InlineData("until EOD", UntilText.EndOfDay)]
    public void An_end_is_found_by_its_name(string text, string end) => Assert.Equal(end, UntilText.Find(text)?.End);

    [Theory]
    [InlineData("access to Figma for 3 days")]
    [InlineData("until further notice")]
    [InlineData("I'll wait until someone replies")]
    [InlineData("friday is my last day")]
    public void Other_words_name_no_end(string text) => Assert.Null(UntilText.Find(text));

    [Theory]
    // Monday 2 March 2026, 09:00 in London (GMT).
    [InlineData("friday", "2026-03-07T00:00:00+00:00", "111h")]
    [InlineData(UntilText.EndOfWeek, "2026-03-07T00:00:00+00:00", "111h")]
    [InlineData(UntilText.EndOfDay, "2026-03-03T00:00:00+00:00", "15h")]
    [InlineData("monday", "2026-03-03T00:00:00+00:00", "15h")]
    [InlineData("sunday", "2026-03-09T00:00:00+00:00", "159h")]
    public void The_end_is_midnight_after_the_named_day_in_the_teams_zone(string end, string expected, string duration)
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        var at = UntilText.End(end, now, London);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
        Assert.Equal(duration, DurationText.Format(UntilText.Duration(now, at)));
    }

    [Fact]
    public void The_end_of_the_week_on_a_saturday_is_the_coming_friday_in_the_zone_of_the_team()
    {
        // Saturday 7 March 2026, 23:30 UTC is still Saturday 18:30 in New York (EST, UTC−5).
        var now = new DateTimeOffset(2026, 3, 7, 23, 30, 0, TimeSpan.Zero);

        var at = UntilText.End(UntilText.EndOfWeek, now, NewYork);

        // Friday 13 March ends at midnight New York time, which is EDT (UTC−4) after the 8 March change.
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 0, 0, 0, TimeSpan.FromHours(-4)), at);
        Assert.Equal("the end of Fri 13 Mar", UntilText.Describe(at));
    }
}
