using System.Globalization;
using System.Text.RegularExpressions;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// DESIGN §4/§5 periods: half-open <c>[from, to)</c> in UTC. <c>7d|30d|90d</c> end now; <c>qtd</c>/<c>ytd</c> run
/// from the quarter's/year's first midnight UTC to now; <c>YYYY-MM</c> is that calendar month; <c>FROM..TO</c>
/// takes ISO 8601 instants or dates, a date meaning its midnight UTC (exactly as the API's from/to).
/// </summary>
public static partial class KpiPeriod
{
    public const string Forms = "7d|30d|90d|qtd|ytd|YYYY-MM|FROM..TO";

    public static (DateTimeOffset From, DateTimeOffset To) Parse(string? text, DateTimeOffset now)
    {
        var value = (text ?? "30d").Trim().ToLowerInvariant();
        if (DaysPattern().Match(value) is { Success: true } days)
        {
            var n = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n is < 1 or > 3660)
            {
                throw new UsageException($"period:{text} must be between 1d and 3660d.", KpiArguments.Usage);
            }

            return (now.AddDays(-n), now);
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        switch (value)
        {
            case "qtd":
                return (new DateTimeOffset(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero), now);
            case "ytd":
                return (new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero), now);
        }

        if (MonthPattern().Match(value) is { Success: true } month)
        {
            var m = int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture);
            if (m is < 1 or > 12)
            {
                throw new UsageException($"period:{text} has no month {m}.", KpiArguments.Usage);
            }

            var start = new DateTimeOffset(int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture), m, 1, 0, 0, 0, TimeSpan.Zero);
            return (start, start.AddMonths(1));
        }

        var parts = (text ?? "").Split("..");
        if (parts.Length == 2)
        {
            return Range(Instant(parts[0], "from"), Instant(parts[1], "to"));
        }

        throw new UsageException($"'{text}' is not a period; use {Forms}.", KpiArguments.Usage);
    }

    public static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset from, DateTimeOffset to) =>
        to > from ? (from, to) : throw new UsageException($"The period must end after it starts ({from:u} .. {to:u}).", KpiArguments.Usage);

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

    /// <summary>The period of the same length just before.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Previous(DateTimeOffset from, DateTimeOffset to) => (from - (to - from), from);

    [GeneratedRegex("^([0-9]{1,4})d$")]
    private static partial Regex DaysPattern();

    [GeneratedRegex("^([0-9]{4})-([0-9]{2})$")]
    private static partial Regex MonthPattern();
}
