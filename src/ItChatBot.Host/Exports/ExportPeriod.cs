using System.Globalization;

namespace ItChatBot.Host.Exports;

/// <summary>A half-open period <c>[From, To)</c> in UTC (DESIGN §4), parsed from an API query or a chat <c>period:</c> word.</summary>
public sealed record ExportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);

    public const string ChatForms = $"period:{Core.Kpi.KpiPeriod.Forms} (dates as YYYY-MM-DD)";

    public override string ToString() => $"{Format(From)}..{Format(To)}";

    public static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>?from=&amp;to=</c>: ISO 8601 dates (midnight UTC) or instants. Missing <c>to</c> is now; missing
    /// <c>from</c> is 30 days before <c>to</c>. Returns the reason when a value is unusable.
    /// </summary>
    public static ExportPeriod? FromQuery(string? from, string? to, DateTimeOffset now, out string? problem)
    {
        problem = null;
        DateTimeOffset end = now, start;
        if (!string.IsNullOrWhiteSpace(to) && !TryInstant(to, out end))
        {
            problem = $"'to' must be an ISO 8601 date or instant such as 2026-03-01 or 2026-03-01T09:00:00Z (got '{to}').";
            return null;
        }

        // Checked before the default 'from' is counted back from it: 30 days before 0001-01-01 is no date at all.
        if (Core.Kpi.KpiPeriod.WhyOutOfRange(end, end) is { } outOfRange)
        {
            problem = $"'to' is out of range. {outOfRange}";
            return null;
        }

        if (string.IsNullOrWhiteSpace(from))
        {
            start = end - DefaultLength;
        }
        else if (!TryInstant(from, out start))
        {
            problem = $"'from' must be an ISO 8601 date or instant such as 2026-03-01 or 2026-03-01T09:00:00Z (got '{from}').";
            return null;
        }

        return Checked(start, end, out problem);
    }

    /// <summary>
    /// The chat forms of <c>/kpi</c> (<see cref="Core.Kpi.KpiPeriod.Parse"/>: <c>7d</c>, <c>mtd</c>, <c>last-month</c>,
    /// <c>YYYY-MM</c>, <c>FROM..TO</c>…), so that an export covers exactly the period a card with the same words shows.
    /// </summary>
    public static ExportPeriod? FromChat(string? value, DateTimeOffset now, out string? problem)
    {
        try
        {
            var (from, to, _) = Core.Kpi.KpiPeriod.Parse(value, now.ToUniversalTime());
            problem = null;
            return new ExportPeriod(from, to);
        }
        catch (Core.Conversations.UsageException e)
        {
            problem = e.Problem;
            return null;
        }
    }

    /// <summary>The bounds the KPI periods have too (years 2000 to 2999), so an export and <c>/api/kpi</c> accept the same dates.</summary>
    private static ExportPeriod? Checked(DateTimeOffset from, DateTimeOffset to, out string? problem)
    {
        problem = from < to
            ? Core.Kpi.KpiPeriod.WhyOutOfRange(from, to)
            : $"The period must start before it ends (from {Format(from)}, to {Format(to)}).";
        return problem is null ? new ExportPeriod(from, to) : null;
    }

    private static bool TryInstant(string text, out DateTimeOffset value)
    {
        var t = text.Trim();
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        // An instant must say its offset: a bare local time would mean different things on different servers.
        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 19 && (t[^6] is '+' or '-'));
        if (t.Contains('T', StringComparison.OrdinalIgnoreCase) && hasOffset
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }
}
