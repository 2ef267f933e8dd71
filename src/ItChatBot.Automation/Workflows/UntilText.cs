using System.Globalization;
using System.Text.RegularExpressions;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// An end people name instead of a length: "until Friday", "till the end of the week", "until end of day". The slot
/// keeps the end's name (<c>friday</c>, <c>end-of-week</c>, <c>end-of-day</c>); the length is worked out when the request
/// is made, in the workflow team's time zone, since it depends on when that is.
/// </summary>
public static partial class UntilText
{
    public const string EndOfDay = "end-of-day";
    public const string EndOfWeek = "end-of-week";

    /// <summary>The end named in <paramref name="text"/> (<c>friday</c>, <see cref="EndOfWeek"/>, <see cref="EndOfDay"/>), or null.</summary>
    public static (string End, Match Match)? Find(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        if (match.Groups["day"].Success)
        {
            var day = match.Groups["day"].Value.ToLowerInvariant();
            return (Days.First(d => d.StartsWith(day[..3], StringComparison.Ordinal)), match);
        }

        return (match.Groups["week"].Success ? EndOfWeek : EndOfDay, match);
    }

    /// <summary>
    /// The end of the named day in <paramref name="zone"/> (midnight after it): today for <see cref="EndOfDay"/>, the
    /// coming Friday for <see cref="EndOfWeek"/>, and the next such weekday for a day's name (today when it is that day).
    /// </summary>
    public static DateTimeOffset End(string end, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var wanted = end switch
        {
            EndOfDay => local.DayOfWeek,
            EndOfWeek => DayOfWeek.Friday,
            _ => Enum.Parse<DayOfWeek>(end, ignoreCase: true),
        };
        var days = ((int)wanted - (int)local.DayOfWeek + 7) % 7;
        var midnight = DateTime.SpecifyKind(local.Date.AddDays(days + 1), DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The length from <paramref name="now"/> to <paramref name="end"/>, rounded up to the hour (at least one).</summary>
    public static TimeSpan Duration(DateTimeOffset now, DateTimeOffset end) =>
        TimeSpan.FromHours(Math.Max(1, Math.Ceiling((end - now).TotalHours)));

    /// <summary>"the end of Fri 6 Mar", as the receipt names the end.</summary>
    public static string Describe(DateTimeOffset end) =>
        string.Create(CultureInfo.InvariantCulture, $"the end of {end.AddDays(-1):ddd d MMM}");

    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [GeneratedRegex(@"\b(?:until|till|til|through|thru)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:(?<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?|fri|sat|sun)\b|(?<week>week|eow)\b|(?<today>day|today|tonight|eod)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
