using ItChatBot.Core.Directory;
using ItChatBot.Core.Sla;

namespace ItChatBot.Kpi.Tests;

public sealed class BusinessCalendarTests
{
    private static DateTimeOffset Utc(string s) => DateTimeOffset.Parse(s + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private static BusinessCalendar London(params DateOnly[] holidays) =>
        new(BusinessCalendar.FindZone("Europe/London"), "Mon-Fri", new TimeOnly(9, 0), new TimeOnly(17, 0), holidays);

    [Fact]
    public void Business_time_skips_the_weekend()
    {
        // Friday 6 March 2026 16:00 GMT to Monday 9 March 10:00: one hour each side of the weekend.
        Assert.Equal(TimeSpan.FromHours(2), London().Between(Utc("2026-03-06T16:00:00"), Utc("2026-03-09T10:00:00")));
        Assert.Equal(TimeSpan.Zero, London().Between(Utc("2026-03-07T10:00:00"), Utc("2026-03-08T18:00:00")));
        Assert.Equal(TimeSpan.Zero, London().Between(Utc("2026-03-09T10:00:00"), Utc("2026-03-06T16:00:00")));
    }

    [Fact]
    public void Adding_business_time_carries_over_the_weekend()
    {
        Assert.Equal(Utc("2026-03-09T16:00:00"), London().Add(Utc("2026-03-06T16:00:00"), TimeSpan.FromHours(8)));
        // From outside hours the clock starts at the next opening.
        Assert.Equal(Utc("2026-03-09T10:00:00"), London().Add(Utc("2026-03-07T12:00:00"), TimeSpan.FromHours(1)));
        // A whole working week of 40 hours from Monday morning ends on Friday at closing.
        Assert.Equal(Utc("2026-03-06T17:00:00"), London().Add(Utc("2026-03-02T09:00:00"), TimeSpan.FromHours(40)));
    }

    [Fact]
    public void Holidays_are_not_working_days()
    {
        var calendar = London(new DateOnly(2026, 12, 25));
        // Thursday 24 Dec 16:00 + 2h: Christmas Friday and the weekend are skipped.
        Assert.Equal(Utc("2026-12-28T10:00:00"), calendar.Add(Utc("2026-12-24T16:00:00"), TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromHours(2), calendar.Between(Utc("2026-12-24T16:00:00"), Utc("2026-12-28T10:00:00")));
        Assert.False(calendar.IsWorking(Utc("2026-12-25T12:00:00")));
        Assert.True(London().IsWorking(Utc("2026-12-25T12:00:00")));
    }

    [Fact]
    public void Hours_are_in_the_team_time_zone()
    {
        var newYork = new BusinessCalendar(BusinessCalendar.FindZone("America/New_York"), "Mon-Fri", new TimeOnly(9, 0), new TimeOnly(17, 0), []);
        // Monday 2 March 2026, EST = UTC-5: the day runs 14:00Z to 22:00Z.
        Assert.Equal(TimeSpan.FromHours(1), newYork.Between(Utc("2026-03-02T13:00:00"), Utc("2026-03-02T15:00:00")));
        Assert.False(newYork.IsWorking(Utc("2026-03-02T13:59:00")));
        Assert.True(newYork.IsWorking(Utc("2026-03-02T21:59:00")));
    }

    [Fact]
    public void Working_hours_follow_the_clocks_across_a_dst_change()
    {
        // London moves to BST on Sunday 29 March 2026: Friday closes at 17:00Z, Monday opens at 08:00Z.
        Assert.Equal(Utc("2026-03-30T09:00:00"), London().Add(Utc("2026-03-27T16:00:00"), TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromHours(2), London().Between(Utc("2026-03-27T16:00:00"), Utc("2026-03-30T09:00:00")));

        // A night shift 00:00-04:00 local on the change days is an hour shorter in spring and longer in autumn.
        var nights = new BusinessCalendar(BusinessCalendar.FindZone("Europe/London"), "Sun", new TimeOnly(0, 0), new TimeOnly(4, 0), []);
        Assert.Equal(TimeSpan.FromHours(3), nights.Between(Utc("2026-03-28T12:00:00"), Utc("2026-03-29T12:00:00")));
        Assert.Equal(TimeSpan.FromHours(5), nights.Between(Utc("2026-10-24T12:00:00"), Utc("2026-10-25T12:00:00")));
        Assert.Equal(Utc("2026-10-25T03:00:00"), nights.Add(Utc("2026-10-24T12:00:00"), TimeSpan.FromHours(4)));
    }

    [Fact]
    public void Always_counts_every_real_hour()
    {
        var always = new BusinessCalendar(BusinessCalendar.FindZone("Europe/London"), "24x7", default, default, []);
        Assert.Equal(TimeSpan.FromHours(23), always.Between(Utc("2026-03-28T12:00:00"), Utc("2026-03-29T11:00:00")));
        Assert.Equal(Utc("2026-03-30T00:00:00"), always.Add(Utc("2026-03-28T00:00:00"), TimeSpan.FromHours(48)));
    }

    [Fact]
    public void Day_lists_and_wrapping_ranges_parse()
    {
        var sunThu = new BusinessCalendar(TimeZoneInfo.Utc, "Sun-Thu", new TimeOnly(8, 0), new TimeOnly(16, 0), []);
        Assert.True(sunThu.IsWorking(Utc("2026-03-01T10:00:00")));  // Sunday
        Assert.False(sunThu.IsWorking(Utc("2026-03-06T10:00:00"))); // Friday
        var list = new BusinessCalendar(TimeZoneInfo.Utc, "Mon, Wed", new TimeOnly(8, 0), new TimeOnly(16, 0), []);
        Assert.Equal(TimeSpan.FromHours(16), list.Between(Utc("2026-03-02T00:00:00"), Utc("2026-03-05T00:00:00")));
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_reason()
    {
        Assert.Contains("Funday", Assert.Throws<ArgumentException>(() =>
            new BusinessCalendar(TimeZoneInfo.Utc, "Mon-Funday", new TimeOnly(9, 0), new TimeOnly(17, 0), [])).Message);
        Assert.Contains("Mars/Olympus", Assert.Throws<ArgumentException>(() =>
            BusinessCalendar.For(new SupportTeam { TimeZone = "Mars/Olympus" })).Message);
    }

    [Fact]
    public void Team_settings_build_the_calendar()
    {
        var team = new SupportTeam
        {
            TimeZone = "Europe/Berlin",
            BusinessHours = new BusinessHours { Days = "Mon-Fri", Start = new TimeOnly(8, 0), End = new TimeOnly(12, 0), Holidays = [new DateOnly(2026, 3, 3)] },
        };
        var calendar = BusinessCalendar.For(team);
        // Berlin is UTC+1 in early March: 07:00Z-11:00Z; Tuesday is a holiday.
        Assert.Equal(TimeSpan.FromHours(8), calendar.Between(Utc("2026-03-02T00:00:00"), Utc("2026-03-04T23:00:00")));
    }
}
