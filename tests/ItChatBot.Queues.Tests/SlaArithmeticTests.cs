using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// The deadlines the queue shows, computed by the shared SLA clock (Core/Sla) for teams in different calendars.
/// Times are UTC; the comments give the team's local time.
/// </summary>
public sealed class SlaArithmeticTests
{
    private static SupportTeam Team(string zone, params string[] holidays) => new()
    {
        Name = "IT",
        KeyPrefix = "IT",
        TimeZone = zone,
        BusinessHours = new BusinessHours { Days = "Mon-Fri", Start = new(9, 0), End = new(17, 0), Holidays = [.. holidays.Select(DateOnly.Parse)] },
        Sla = new()
        {
            ["P1"] = new() { FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4) },
            ["P2"] = new() { FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromHours(8) },
        },
    };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static SlaClock Evaluate(SupportTeam team, Events events, DateTimeOffset asOf) => SlaPolicy.For(team).Evaluate(events.List, asOf);

    [Fact]
    public void A_working_day_target_created_on_friday_afternoon_is_due_on_monday()
    {
        // Friday 6 March 15:00 GMT: 2 h on Friday, 6 h on Monday.
        var clock = Evaluate(Team("Europe/London"), Events.Of("IT-1").Created(Utc(3, 6, 15), "P2"), Utc(3, 7, 12));

        Assert.Equal(Utc(3, 9, 15), clock.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(2), clock.Resolution.Elapsed);
        Assert.Equal(Utc(3, 6, 16), clock.Response.Deadline);
        Assert.True(clock.Response.IsBreached);
    }

    [Fact]
    public void A_holiday_on_monday_moves_the_deadline_to_tuesday()
    {
        var clock = Evaluate(Team("Europe/London", "2026-03-09"), Events.Of("IT-1").Created(Utc(3, 6, 15), "P2"), Utc(3, 6, 15, 30));

        Assert.Equal(Utc(3, 10, 15), clock.Resolution.Deadline);
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-02T18:00:00Z")] // 09:00-13:00 EST
    [InlineData("Asia/Tokyo", "2026-03-02T04:00:00Z")] // 09:00-13:00 JST is 00:00-04:00 UTC
    [InlineData("Asia/Kolkata", "2026-03-02T07:30:00Z")] // 09:00-13:00 IST is 03:30-07:30 UTC
    public void Hours_count_in_the_teams_time_zone(string zone, string dueUtc)
    {
        // Created on Sunday evening UTC, before every one of these teams' Monday morning.
        var created = Utc(3, 1, 20);
        var clock = Evaluate(Team(zone), Events.Of("IT-1").Created(created, "P1"), created);

        Assert.Equal(DateTimeOffset.Parse(dueUtc, System.Globalization.CultureInfo.InvariantCulture), clock.Resolution.Deadline);
        Assert.Equal(TimeSpan.Zero, clock.Resolution.Elapsed);
    }

    [Fact]
    public void The_deadline_follows_the_clocks_across_the_us_dst_change()
    {
        // Friday 6 March 16:00 EST = 21:00 UTC: 1 h on Friday. On Monday 9 March New York is on EDT (UTC-4):
        // 7 h from 09:00 EDT = 13:00 UTC ends at 20:00 UTC, an hour earlier in UTC than before the change.
        var clock = Evaluate(Team("America/New_York"), Events.Of("IT-1").Created(Utc(3, 6, 21), "P2"), Utc(3, 6, 21));

        Assert.Equal(Utc(3, 9, 20), clock.Resolution.Deadline);
    }

    [Fact]
    public void The_deadline_follows_the_clocks_across_the_uk_dst_change_and_a_pause()
    {
        // Friday 27 March 15:00 GMT: 1 h worked, then waiting on the requester from 16:00 until Monday 10:00 BST
        // (09:00 UTC). 7 h are left from then: due 16:00 UTC (17:00 BST), the end of Monday's working day.
        var events = Events.Of("IT-1").Created(Utc(3, 27, 15), "P2")
            .Status(Utc(3, 27, 16), TicketStatus.WaitingOnRequester)
            .Status(Utc(3, 30, 9), TicketStatus.InProgress, "U1", ActorKind.Requester);

        var paused = Evaluate(Team("Europe/London"), events, Utc(3, 28, 12));
        Assert.True(paused.Resolution.IsPaused);
        Assert.Null(paused.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(7), paused.Resolution.TimeLeft);

        var resumed = Evaluate(Team("Europe/London"), events, Utc(3, 30, 9));
        Assert.Equal(Utc(3, 30, 16), resumed.Resolution.Deadline);
        Assert.Equal("7h 00m left, due Mon 30 Mar 17:00 Europe/London", SlaView.Describe(resumed.Resolution, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")));
    }

    [Fact]
    public void Events_added_out_of_time_order_are_counted_in_time_order()
    {
        // An imported history may add a ticket's earlier events after its later ones (a second file): the reply at
        // 09:10 met the 15-minute response target even though it was appended after the resolution.
        var events = Events.Of("IT-1").Created(Utc(3, 2, 9), "P1")
            .Resolved(Utc(3, 2, 12), "A1", ActorKind.Agent)
            .Responded(Utc(3, 2, 9, 10), "A1", ActorKind.Agent);

        var clock = Evaluate(Team("Europe/London"), events, Utc(3, 2, 13));

        Assert.Equal(Utc(3, 2, 9, 10), clock.Response.CompletedAt);
        Assert.True(clock.Response.IsMet);
        Assert.Equal("Response met · Resolution met", new SlaView(new SlaPolicies(new SupportTeams([Team("Europe/London")])))
            .Describe(new Ticket { Key = "IT-1", Team = "IT" }, events.List, Utc(3, 2, 13)));
    }

    [Fact]
    public void A_priority_changed_while_resolved_applies_from_the_reopen()
    {
        // Imported: a P2 resolved after 2 h, raised to P1 while resolved, reopened at 13:00: 2 h of P1's 4 h are left.
        var events = Events.Of("IT-1").Created(Utc(3, 2, 9), "P2")
            .Resolved(Utc(3, 2, 11), "A1", ActorKind.Agent)
            .Add(EventType.PriorityChanged, Utc(3, 2, 12), "A1", ActorKind.Agent, (EventData.Priority, "P1"))
            .Reopened(Utc(3, 2, 13));

        var clock = Evaluate(Team("Europe/London"), events, Utc(3, 2, 14));

        Assert.Equal("P1", clock.Priority);
        Assert.Equal(TimeSpan.FromHours(4), clock.Resolution.Target);
        Assert.Equal(Utc(3, 2, 15), clock.Resolution.Deadline);
    }

    [Fact]
    public void Hours_that_start_in_the_skipped_hour_start_when_the_clocks_resume()
    {
        // New York skips 02:00-03:00 on Sunday 8 March 2026. Sunday hours 02:10-06:00 run from 03:00 EDT (07:00 UTC).
        var team = Team("America/New_York");
        team.BusinessHours = new BusinessHours { Days = "Sun", Start = new(2, 10), End = new(6, 0) };
        var calendar = BusinessCalendar.For(team);

        Assert.Equal(TimeSpan.FromHours(3), calendar.Between(Utc(3, 7, 12), Utc(3, 9, 0)));
        Assert.True(calendar.IsWorking(Utc(3, 8, 7, 5)));
        Assert.Equal(Utc(3, 8, 7, 30), calendar.Add(Utc(3, 7, 12), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void A_lowered_priority_is_due_when_the_clock_reaches_its_own_target()
    {
        // A P1 (4 h) lowered to P2 (8 h) after 5 business hours: past the P1 target at 13:00, but as a P2 due at 17:00.
        var events = Events.Of("IT-1").Created(Utc(3, 2, 9), "P1")
            .Add(EventType.PriorityChanged, Utc(3, 2, 14), "A1", ActorKind.Agent, (EventData.Priority, "P2"));

        var lowered = Evaluate(Team("Europe/London"), events, Utc(3, 2, 15));
        Assert.Equal(Utc(3, 2, 17), lowered.Resolution.Deadline);
        Assert.False(lowered.Resolution.IsBreached);
        Assert.Equal(TimeSpan.FromHours(2), lowered.Resolution.TimeLeft);
        // The response (1 h as a P2) was used up before the change: still breached at its first deadline.
        Assert.True(lowered.Response.IsBreached);
        Assert.Equal(Utc(3, 2, 9, 15), lowered.Response.Deadline);

        var later = Evaluate(Team("Europe/London"), events, Utc(3, 3, 10));
        Assert.True(later.Resolution.IsBreached);
        Assert.Equal(Utc(3, 2, 17), later.Resolution.Deadline);
    }

    [Fact]
    public void Always_open_teams_count_every_hour_and_pauses_still_pause()
    {
        var team = Team("UTC");
        team.BusinessHours.Days = "24x7";
        var events = Events.Of("IT-1").Created(Utc(3, 7, 22), "P1") // Saturday night
            .Status(Utc(3, 7, 23), TicketStatus.WaitingOnRequester)
            .Status(Utc(3, 8, 1), TicketStatus.Open, "U1", ActorKind.Requester);

        var clock = Evaluate(team, events, Utc(3, 8, 1));

        Assert.Equal(Utc(3, 8, 4), clock.Resolution.Deadline);
        Assert.Equal(Utc(3, 7, 22, 15), clock.Response.Deadline);
    }
}
