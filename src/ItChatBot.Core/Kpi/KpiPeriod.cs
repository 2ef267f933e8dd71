using System.Globalization;
using System.Text.RegularExpressions;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// DESIGN §4/§5 periods: half-open <c>[from, to)</c> in UTC. <c>7d|30d|90d</c> end now; <c>mtd</c>/<c>qtd</c>/<c>ytd</c>
/// run from the month's/quarter's/year's first midnight UTC to now; <c>last-week</c> (Monday to Monday),
/// <c>last-month</c>, <c>last-quarter</c> and <c>last-year</c> are the whole calendar period before the current one, as the
/// "last month" of Jira's and Freshservice's report filters; <c>YYYY-MM</c> is that calendar month; <c>FROM..TO</c> takes
/// ISO 8601 instants or dates, a date meaning its midnight UTC (exactly as the API's from/to). The kind of period decides
/// the previous one (<see cref="Previous"/>).
/// </summary>
public static partial class KpiPeriod
{
    public const string Forms = "7d|30d|90d|mtd|qtd|ytd|last-week|last-month|last-quarter|last-year|YYYY-MM|FROM..TO";

    /// <summary>
    /// Periods lie within <c>[Earliest, Latest)</c>, years 2000 to 2999: far wider than any ticket history, and narrow
    /// enough that the previous period (at most as long, just before) and every bucket of a series stay representable.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The reason a month's or a date's year is outside <see cref="Earliest"/>..<see cref="Latest"/>, or null.</summary>
    public static string? WhyYearOutOfRange(int year) =>
        year >= Earliest.Year && year < Latest.Year
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"Periods must lie between {Earliest.Year} and {Latest.Year - 1} (years 2000 to 2999).");

    /// <summary>The reason a period is outside <see cref="Earliest"/>..<see cref="Latest"/>, or null.</summary>
    public static string? WhyOutOfRange(DateTimeOffset from, DateTimeOffset to) =>
        from >= Earliest && to <= Latest
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"Periods must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd} (years 2000 to 2999); {from:yyyy-MM-dd'T'HH:mm:ss'Z'} .. {to:yyyy-MM-dd'T'HH:mm:ss'Z'} does not.");

    public static (DateTimeOffset From, DateTimeOffset To, KpiPeriodKind Kind) Parse(string? text, DateTimeOffset now)
    {
        var value = (text ?? "30d").Trim().ToLowerInvariant();
        if (DaysPattern().Match(value) is { Success: true } days)
        {
            var n = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n is < 1 or > 3660)
            {
                throw new UsageException($"period:{text} must be between 1d and 3660d.", KpiArguments.Usage);
            }

            return (now.AddDays(-n), now, KpiPeriodKind.Span);
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var month = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var quarter = new DateTimeOffset(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero);
        var year = new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        switch (LastWord().Replace(value.Replace('_', '-'), "last-$1"))
        {
            case "mtd":
                return (month, now, KpiPeriodKind.MonthToDate);
            case "qtd":
                return (quarter, now, KpiPeriodKind.QuarterToDate);
            case "ytd":
                return (year, now, KpiPeriodKind.YearToDate);
            case "last-week":
                return (monday.AddDays(-7), monday, KpiPeriodKind.Span);
            case "last-month":
                return (month.AddMonths(-1), month, KpiPeriodKind.Month);
            case "last-quarter": // a whole quarter is a quarter "to date" that has run to its end
                return (quarter.AddMonths(-3), quarter, KpiPeriodKind.QuarterToDate);
            case "last-year":
                return (year.AddYears(-1), year, KpiPeriodKind.YearToDate);
        }

        if (MonthPattern().Match(value) is { Success: true } calendarMonth)
        {
            var m = int.Parse(calendarMonth.Groups[2].Value, CultureInfo.InvariantCulture);
            if (m is < 1 or > 12)
            {
                throw new UsageException($"period:{text} has no month {m}.", KpiArguments.Usage);
            }

            var y = int.Parse(calendarMonth.Groups[1].Value, CultureInfo.InvariantCulture);
            if (WhyYearOutOfRange(y) is { } outOfRange)
            {
                throw new UsageException($"period:{text} is out of range. {outOfRange}", KpiArguments.Usage);
            }

            var start = new DateTimeOffset(y, m, 1, 0, 0, 0, TimeSpan.Zero);
            return (start, start.AddMonths(1), KpiPeriodKind.Month);
        }

        var parts = (text ?? "").Split("..");
        if (parts.Length == 2)
        {
            var (from, to) = Range(Instant(parts[0], "from"), Instant(parts[1], "to"));
            return (from, to, KpiPeriodKind.Span);
        }

        throw new UsageException($"'{text}' is not a period; use {Forms}.", KpiArguments.Usage);
    }

    public static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new UsageException($"The period must end after it starts ({from:u} .. {to:u}).", KpiArguments.Usage);
        }

        return WhyOutOfRange(from, to) is { } problem ? throw new UsageException(problem, KpiArguments.Usage) : (from, to);
    }

    /// <summary>An ISO 8601 instant or date (midnight UTC); the reason in a <see cref="UsageException"/> otherwise.</summary>
    public static DateTimeOffset Instant(string text, string name)
    {
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (value.Contains('T') && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new UsageException($"{name} '{text}' is not an ISO 8601 date (2026-03-01) or instant (2026-03-01T09:00:00Z).", KpiArguments.Usage);
    }

    /// <summary>
    /// The period a card compares with. <c>YYYY-MM</c> and <c>last-month</c>: the previous calendar month (March against
    /// February, as Jira and Freshservice reports do). <c>mtd</c> and <c>qtd</c>: from the previous month's or quarter's
    /// first day, as long as the month or quarter so far, clipped to its end (so <c>last-quarter</c>, a whole quarter,
    /// compares with the whole quarter before). <c>ytd</c>: the previous year from 1 January to the same date and time
    /// (<c>last-year</c>: the whole year before). A span (<c>7d|30d|90d</c>, <c>last-week</c>, <c>FROM..TO</c>), or bounds
    /// that are not of the shape their kind says (a request copied with other bounds), compare with the same length just
    /// before.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Previous(DateTimeOffset from, DateTimeOffset to, KpiPeriodKind kind = KpiPeriodKind.Span)
    {
        var utc = from.ToUniversalTime();
        var midnightOfFirst = utc.TimeOfDay == TimeSpan.Zero && utc.Day == 1;
        switch (kind)
        {
            case KpiPeriodKind.Month when midnightOfFirst && to == utc.AddMonths(1):
                return (utc.AddMonths(-1), utc);
            case KpiPeriodKind.MonthToDate when midnightOfFirst && to <= utc.AddMonths(1):
                var month = utc.AddMonths(-1);
                return (month, Min(month + (to - from), utc));
            case KpiPeriodKind.QuarterToDate when midnightOfFirst && utc.Month % 3 == 1 && to <= utc.AddMonths(3):
                var quarter = utc.AddMonths(-3);
                return (quarter, to == utc.AddMonths(3) ? utc : Min(quarter + (to - from), utc)); // a whole quarter: the whole one before
            case KpiPeriodKind.YearToDate when midnightOfFirst && utc.Month == 1 && to <= utc.AddYears(1):
                return (utc.AddYears(-1), Min(to.ToUniversalTime().AddYears(-1), utc));
            default:
                return (from - (to - from), from);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [GeneratedRegex("^([0-9]{1,4})d$")]
    private static partial Regex DaysPattern();

    [GeneratedRegex("^([0-9]{4})-([0-9]{2})$")]
    private static partial Regex MonthPattern();

    /// <summary><c>lastmonth</c> (and, after <c>_</c> became <c>-</c>, <c>last_month</c>) as <c>last-month</c>.</summary>
    [GeneratedRegex("^last(week|month|quarter|year)$")]
    private static partial Regex LastWord();
}
