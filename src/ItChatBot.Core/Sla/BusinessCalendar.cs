using System.Collections.Concurrent;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Sla;

/// <summary>
/// A team's working time (DESIGN §6 <c>BusinessHours</c>): which instants count towards an SLA clock.
/// Working windows are laid out per local date and converted to UTC one day at a time, so a DST change
/// shortens or lengthens that day's window by the real amount, and weekends and holidays are simply absent.
/// </summary>
public sealed class BusinessCalendar
{
    // Ten years of days: a target that never completes within this is a configuration error, not a loop.
    private const int MaxDaysScanned = 3660;

    private readonly bool[] _workingDays = new bool[7];
    private readonly HashSet<DateOnly> _holidays;
    private readonly TimeOnly _start;
    private readonly TimeOnly _end;
    private readonly ConcurrentDictionary<int, Window> _windows = new();

    /// <summary>The clock that always runs (<c>24x7</c>), in UTC.</summary>
    public static readonly BusinessCalendar Always = new(TimeZoneInfo.Utc, "24x7", default, default, []);

    public BusinessCalendar(TimeZoneInfo timeZone, string days, TimeOnly start, TimeOnly end, IEnumerable<DateOnly> holidays)
    {
        TimeZone = timeZone;
        IsAlways = string.Equals(days?.Trim(), "24x7", StringComparison.OrdinalIgnoreCase);
        _start = start;
        _end = end;
        _holidays = [.. holidays];
        if (!IsAlways)
        {
            ParseDays(days ?? "", _workingDays);
            if (start == end)
            {
                throw new ArgumentException($"Business hours start and end are both {start:HH\\:mm}; a working day needs some hours.");
            }
        }
    }

    public TimeZoneInfo TimeZone { get; }

    public bool IsAlways { get; }

    /// <summary>The calendar of a support team's settings; throws <see cref="ArgumentException"/> naming a bad setting.</summary>
    public static BusinessCalendar For(SupportTeam team)
    {
        var zone = FindZone(team.TimeZone);
        var hours = team.BusinessHours ?? new BusinessHours();
        return new BusinessCalendar(zone, hours.Days, hours.Start, hours.End, hours.Holidays ?? []);
    }

    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"'{id}' is not a time zone; use an IANA id such as Europe/London.", e);
        }
    }

    /// <summary>Business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (IsAlways)
        {
            return to - from;
        }

        long a = from.UtcTicks, b = to.UtcTicks, total = 0;
        // A window may start the local day before (overnight hours), so begin one day early.
        var day = LocalDay(from) - 1;
        var last = LocalDay(to);
        for (; day <= last; day++)
        {
            var w = WindowOf(day);
            if (w.IsEmpty)
            {
                continue;
            }

            var s = Math.Max(a, w.Start);
            var e = Math.Min(b, w.End);
            if (e > s)
            {
                total += e - s;
            }
        }

        return TimeSpan.FromTicks(total);
    }

    /// <summary>
    /// The instant at which <paramref name="duration"/> of business time has passed since <paramref name="start"/>.
    /// A zero duration is reached at once, even outside working hours.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return start;
        }

        if (IsAlways)
        {
            return start + duration;
        }

        var cursor = start.UtcTicks;
        var remaining = duration.Ticks;
        var first = LocalDay(start) - 1;
        for (var day = first; day < first + MaxDaysScanned; day++)
        {
            var w = WindowOf(day);
            if (w.IsEmpty || w.End <= cursor)
            {
                continue;
            }

            var s = Math.Max(cursor, w.Start);
            var available = w.End - s;
            if (remaining <= available)
            {
                return new DateTimeOffset(s + remaining, TimeSpan.Zero);
            }

            remaining -= available;
            cursor = w.End;
        }

        throw new InvalidOperationException("The business calendar has no working time in the next ten years; check its days and holidays.");
    }

    /// <summary>Whether the clock runs at <paramref name="at"/>.</summary>
    public bool IsWorking(DateTimeOffset at)
    {
        if (IsAlways)
        {
            return true;
        }

        var t = at.UtcTicks;
        var day = LocalDay(at);
        for (var d = day - 1; d <= day; d++)
        {
            var w = WindowOf(d);
            if (!w.IsEmpty && t >= w.Start && t < w.End)
            {
                return true;
            }
        }

        return false;
    }

    private int LocalDay(DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime).DayNumber;

    private Window WindowOf(int dayNumber) => _windows.GetOrAdd(dayNumber, ComputeWindow);

    private Window ComputeWindow(int dayNumber)
    {
        var date = DateOnly.FromDayNumber(dayNumber);
        if (!_workingDays[(int)date.DayOfWeek] || _holidays.Contains(date))
        {
            return default;
        }

        var startLocal = date.ToDateTime(_start);
        // End at or before start means the hours run past midnight (End 00:00 = end of the day).
        var endLocal = _end > _start ? date.ToDateTime(_end) : date.AddDays(1).ToDateTime(_end);
        var s = ToUtc(startLocal);
        var e = ToUtc(endLocal);
        return e > s ? new Window(s, e) : default;
    }

    private long ToUtc(DateTime local)
    {
        // A wall time skipped by a DST change does not exist; the working day starts when the clocks resume, at the first
        // wall time after the gap. Gaps begin and end on whole minutes, so step by minutes: quarter-hour steps started
        // hours set at 02:10 at 03:10 on the day New York skips 02:00-03:00.
        if (TimeZone.IsInvalidTime(local))
        {
            local = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
            for (var guard = 0; TimeZone.IsInvalidTime(local) && guard < 24 * 60; guard++)
            {
                local = local.AddMinutes(1);
            }
        }

        // An ambiguous wall time (clocks going back) is taken at its first occurrence.
        if (TimeZone.IsAmbiguousTime(local))
        {
            var offsets = TimeZone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            return new DateTimeOffset(local, first).UtcTicks;
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone).Ticks;
    }

    private static void ParseDays(string days, bool[] into)
    {
        var parts = days.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Business days are empty; use e.g. Mon-Fri, Mon,Tue,Thu or 24x7.");
        }

        foreach (var part in parts)
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2)
            {
                throw new ArgumentException($"'{part}' is not a day or day range; use e.g. Mon-Fri.");
            }

            var from = ParseDay(range[0]);
            var to = range.Length == 2 ? ParseDay(range[1]) : from;
            // Ranges may wrap the week: Sun-Thu, Fri-Mon.
            for (var d = from; ; d = (d + 1) % 7)
            {
                into[d] = true;
                if (d == to)
                {
                    break;
                }
            }
        }
    }

    // By DayOfWeek number. A day is its name or an abbreviation of it of three letters or more (Mon, Tues, Thurs), so
    // that a misspelling such as "Sunshine" or "Monkey" is refused rather than read as its first three letters.
    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static int ParseDay(string name)
    {
        var lower = name.ToLowerInvariant();
        var day = lower.Length >= 3 ? Array.FindIndex(DayNames, d => d.StartsWith(lower, StringComparison.Ordinal)) : -1;
        return day >= 0 ? day : throw new ArgumentException($"'{name}' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun (e.g. Mon-Fri), or 24x7 for a clock that always runs.");
    }

    private readonly record struct Window(long Start, long End)
    {
        public bool IsEmpty => End <= Start;
    }
}
