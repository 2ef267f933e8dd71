using System.Globalization;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// A ticket's SLA clocks (computed by <see cref="SlaPolicies"/>, DESIGN §4) put into words for queue cards and
/// lists: business time left and the deadline in the team's time zone, paused, met or breached.
/// </summary>
public sealed class SlaView(SlaPolicies policies)
{
    /// <summary>The <see cref="Summary.Short"/> of a ticket with an SLA clock past its deadline.</summary>
    public const string Breached = "breached";

    public sealed record Summary(string? Line, string Short, DateTimeOffset? NextDeadline);

    public string? Describe(Ticket ticket, IReadOnlyList<TicketEvent> events, DateTimeOffset now) => Summarise(ticket, events, now).Line;

    public Summary Summarise(Ticket ticket, IReadOnlyList<TicketEvent> events, DateTimeOffset now)
    {
        var policy = policies.For(events.FirstOrDefault(e => e.Type == EventType.Created)?.Get(EventData.Team) ?? ticket.Team);
        var clock = policy.Evaluate(events, now);
        if (!clock.Response.HasTarget && !clock.Resolution.HasTarget)
        {
            return new Summary(null, "-", null);
        }

        var zone = policy.Calendar.TimeZone;
        var parts = new List<string>();
        if (clock.Response.HasTarget)
        {
            parts.Add($"Response {Describe(clock.Response, zone)}");
        }

        if (clock.Resolution.HasTarget)
        {
            parts.Add($"Resolution {Describe(clock.Resolution, zone)}");
        }

        var open = new[] { clock.Response, clock.Resolution }.Where(t => t.HasTarget && t.CompletedAt is null).ToList();
        var urgent = open.OrderBy(t => t.TimeLeft).FirstOrDefault();
        var brief = urgent is null ? "met"
            : urgent.IsBreached ? Breached
            : urgent.IsPaused ? $"paused, {WorkingTime(urgent.TimeLeft!.Value)} left"
            : $"{WorkingTime(urgent.TimeLeft!.Value)} left";
        var next = open.Where(t => t.IsRunning && t.Deadline is not null).Select(t => t.Deadline).Min();
        return new Summary(string.Join(" · ", parts), brief, next);
    }

    /// <summary>One clock in words: <c>met</c>, <c>breached 1h 10m late</c>, <c>paused (3h 20m left)</c>, <c>2h 05m left, due Mon 14:30 GMT</c>.</summary>
    public static string Describe(SlaTimer timer, TimeZoneInfo zone)
    {
        if (timer.CompletedAt is { } done)
        {
            return timer.IsMet ? "met" : $"breached (done {Late(timer.Deadline, done)} late)";
        }

        if (timer.IsBreached)
        {
            return $"breached {QueueCards.Describe(timer.AsOf - timer.Deadline!.Value)} ago";
        }

        var left = WorkingTime(timer.TimeLeft ?? TimeSpan.Zero);
        if (timer.IsPaused)
        {
            return $"paused while waiting on the requester ({left} left)";
        }

        return timer.Deadline is { } due ? $"{left} left, due {Local(due, zone)}" : $"{left} left";
    }

    /// <summary>
    /// Time on an SLA clock, which runs in business hours: in hours and minutes, never days. A P3's "24h 00m left, due Wed
    /// 17:00" is three working days; "1 day left" beside that deadline would read as a calendar day.
    /// </summary>
    public static string WorkingTime(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(span.TotalHours):0}h {span.Minutes:00}m")
        : QueueCards.Describe(span);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var abbreviation = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        return string.Create(CultureInfo.InvariantCulture, $"{local:ddd d MMM HH:mm} {Shorten(abbreviation, zone)}");
    }

    private static string Shorten(string name, TimeZoneInfo zone) => name.Length <= 6 ? name : zone.Id;

    private static string Late(DateTimeOffset? deadline, DateTimeOffset done) =>
        deadline is { } d ? QueueCards.Describe(done - d) : "?";
}
