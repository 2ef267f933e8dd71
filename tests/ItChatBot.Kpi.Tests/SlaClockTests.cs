using ItChatBot.Core.Directory;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>London, Mon-Fri 09-17; in March 2026 before the 29th London is on UTC, so local = Z.</summary>
public sealed class SlaClockTests
{
    private static readonly SlaPolicy Policy = SlaPolicy.For(SupportTeams.Defaults()[0]);

    // Monday 2 March 2026.
    private static DateTimeOffset Mon(int hour, int minute = 0) => new(2026, 3, 2, hour, minute, 0, TimeSpan.Zero);

    private static DateTimeOffset Tue(int hour, int minute = 0) => Mon(hour, minute).AddDays(1);

    [Fact]
    public void Waiting_on_the_requester_pauses_both_clocks()
    {
        var events = Events.Of("IT-1").Created(Mon(9), "P2")
            .Status(Mon(9, 20), TicketStatus.WaitingOnRequester)
            .Status(Mon(10, 20), TicketStatus.Open)
            .Responded(Mon(10, 30), "A1", ActorKind.Agent)
            .Status(Mon(11), TicketStatus.WaitingOnRequester)
            .Status(Tue(10), TicketStatus.InProgress)
            .Resolved(Tue(16), "A1", ActorKind.Agent).List;

        var clock = Policy.Evaluate(events, Tue(18));

        // Response: 20 min, paused an hour, then 10 min more = 30 min business time of a 1 h target.
        Assert.Equal(TimeSpan.FromMinutes(30), clock.Response.Elapsed);
        Assert.Null(clock.Response.Deadline);
        Assert.True(clock.Response.IsMet);
        // Resolution: 09:00-09:20 and 10:20-11:00 = 1 h on Monday; Tuesday from 10:00 needs 7 h more: 17:00.
        Assert.Null(clock.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(7), clock.Resolution.Elapsed);
        Assert.True(clock.Resolution.IsMet);
        Assert.Equal(Tue(16), clock.Resolution.DecidedAt);

        var before = Policy.Evaluate(events, Tue(12));
        Assert.Equal(Tue(17), before.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(5), before.Resolution.TimeLeft);
        Assert.True(before.Resolution.IsRunning);
        Assert.Null(before.Resolution.DecidedAt);

        var paused = Policy.Evaluate(events, Mon(15));
        Assert.True(paused.Resolution.IsPaused);
        Assert.Null(paused.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(7), paused.Resolution.TimeLeft);
    }

    [Fact]
    public void A_ticket_still_open_past_its_deadline_is_breached_at_the_deadline()
    {
        var events = Events.Of("IT-2").Created(Mon(9), "P1").Responded(Mon(9, 10), "A1", ActorKind.Agent).List;

        var later = Policy.Evaluate(events, Mon(14));
        Assert.Equal(Mon(13), later.Resolution.Deadline);
        Assert.True(later.Resolution.IsBreached);
        Assert.False(later.Resolution.IsMet);
        Assert.Equal(Mon(13), later.Resolution.DecidedAt);
        Assert.Equal(TimeSpan.FromHours(-1), later.Resolution.TimeLeft);
        Assert.True(later.Response.IsMet);

        var earlier = Policy.Evaluate(events, Mon(12));
        Assert.False(earlier.Resolution.IsBreached);
        Assert.Equal(Mon(13), earlier.Resolution.Deadline);
        Assert.Equal(TimeSpan.FromHours(1), earlier.Resolution.TimeLeft);
    }

    [Fact]
    public void A_late_resolution_is_breached_and_counts_at_the_deadline()
    {
        var events = Events.Of("IT-3").Created(Mon(9), "P1").Resolved(Mon(16), "A1", ActorKind.Agent).List;
        var clock = Policy.Evaluate(events, Tue(9));
        Assert.True(clock.Resolution.IsBreached);
        Assert.Equal(Mon(13), clock.Resolution.DecidedAt);
        // The resolution answered the requester within... 7 hours: the 15-minute response target was breached too.
        Assert.True(clock.Response.IsBreached);
        Assert.Equal(Mon(9, 15), clock.Response.Deadline);
    }

    [Fact]
    public void A_resolution_stops_the_clock_and_a_reopen_starts_it_again()
    {
        var events = Events.Of("IT-4").Created(Mon(9), "P1")
            .Responded(Mon(9, 5), "automation", ActorKind.Automation)
            .Resolved(Mon(10))
            .Reopened(Mon(15))
            .Resolved(Tue(9, 30), "A1", ActorKind.Agent).List;

        var whileResolved = Policy.Evaluate(events, Mon(12));
        Assert.False(whileResolved.Resolution.IsRunning);
        Assert.True(whileResolved.Resolution.IsMet);
        Assert.Equal(Mon(10), whileResolved.Resolution.CompletedAt);

        var reopened = Policy.Evaluate(events, Mon(16));
        Assert.True(reopened.Resolution.IsRunning);
        Assert.Null(reopened.Resolution.CompletedAt);
        // 1 h used before the resolution; 3 h left from 15:00 = 2 h on Monday and 1 h on Tuesday.
        Assert.Equal(Tue(10), reopened.Resolution.Deadline);

        var final = Policy.Evaluate(events, Tue(12));
        Assert.True(final.Resolution.IsMet);
        Assert.Equal(Tue(9, 30), final.Resolution.DecidedAt);
    }

    [Fact]
    public void A_priority_change_applies_its_target_from_that_moment()
    {
        var raised = Events.Of("IT-5").Created(Mon(9), "P3")
            .Add(EventType.PriorityChanged, Mon(11), "A1", ActorKind.Agent, (EventData.Priority, "P1")).List;
        // 2 h used as a P3; the P1 target of 4 h is reached 2 business hours later.
        Assert.Equal(Mon(13), Policy.Evaluate(raised, Mon(12)).Resolution.Deadline);
        Assert.Equal("P1", Policy.Evaluate(raised, Mon(12)).Priority);
        Assert.Equal("P3", Policy.Evaluate(raised, Mon(10)).Priority);
        // As a P3 the 24 business hours would have run to Wednesday at closing.
        Assert.Equal(Tue(17).AddDays(1), Policy.Evaluate(raised, Mon(10)).Resolution.Deadline);

        var tooLate = Events.Of("IT-6").Created(Mon(9), "P3")
            .Add(EventType.PriorityChanged, Mon(14), "A1", ActorKind.Agent, (EventData.Priority, "P1")).List;
        // Already 5 h in when the 4 h target applies: reached at the change.
        var clock = Policy.Evaluate(tooLate, Mon(15));
        Assert.Equal(Mon(14), clock.Resolution.Deadline);
        Assert.True(clock.Resolution.IsBreached);

        var lowered = Events.Of("IT-7").Created(Mon(9), "P1")
            .Add(EventType.PriorityChanged, Mon(10), "A1", ActorKind.Agent, (EventData.Priority, "P4")).List;
        // P4 allows 40 business hours from creation: Friday at closing.
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 17, 0, 0, TimeSpan.Zero), Policy.Evaluate(lowered, Mon(11)).Resolution.Deadline);
    }

    [Fact]
    public void Created_on_a_friday_evening_the_clock_starts_on_monday()
    {
        var events = Events.Of("IT-8").Created(new DateTimeOffset(2026, 3, 6, 18, 0, 0, TimeSpan.Zero), "P2").List;
        var clock = Policy.Evaluate(events, new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, clock.Resolution.Elapsed);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.Zero), clock.Response.Deadline);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 17, 0, 0, TimeSpan.Zero), clock.Resolution.Deadline);
    }

    [Fact]
    public void A_requester_message_is_no_response_and_a_priority_without_target_has_no_sla()
    {
        var events = Events.Of("IT-9").Created(Mon(9), "P2").Responded(Mon(9, 5), "U1", ActorKind.Requester).List;
        var clock = Policy.Evaluate(events, Mon(11));
        Assert.True(clock.Response.IsBreached);

        var noTargets = new SlaPolicy(BusinessCalendar.Always, new Dictionary<string, SlaTarget>());
        var none = noTargets.Evaluate(events, Mon(11));
        Assert.False(none.Resolution.HasTarget);
        Assert.False(none.Resolution.IsMet);
        Assert.False(none.Resolution.IsBreached);
        Assert.Null(none.Resolution.DecidedAt);
        Assert.Null(none.Resolution.TimeLeft);
    }

    [Fact]
    public void Policies_follow_the_team_of_the_ticket()
    {
        var policies = new SlaPolicies(new SupportTeams([
            new SupportTeam { Name = "Ops", KeyPrefix = "OPS", TimeZone = "UTC", BusinessHours = new BusinessHours { Days = "24x7" },
                Sla = new() { ["P1"] = new SlaTarget { Resolution = TimeSpan.FromHours(4) } } },
        ]));
        var events = Events.Of("OPS-1").Created(new DateTimeOffset(2026, 3, 7, 22, 0, 0, TimeSpan.Zero), "P1", team: "Ops").List;
        var clock = policies.Evaluate(events, new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 2, 0, 0, TimeSpan.Zero), clock.Resolution.Deadline);
        Assert.True(clock.Resolution.IsBreached);
        Assert.False(clock.Response.HasTarget);
    }
}
