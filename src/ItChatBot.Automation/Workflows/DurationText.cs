using System.Globalization;
using System.Text.RegularExpressions;

namespace ItChatBot.Automation.Workflows;

/// <summary>Durations as people and workflow files write them: <c>30m</c>, <c>4h</c>, <c>2d</c>, <c>1w</c>, <c>2 days</c>, <c>an hour</c>.</summary>
public static partial class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Pattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success)
        {
            return false;
        }

        var amountText = match.Groups["n"].Value;
        var amount = amountText is "a" or "an" or "one" ? 1
            : Words.TryGetValue(amountText, out var word) ? word
            : double.Parse(amountText, CultureInfo.InvariantCulture);
        if (amount <= 0)
        {
            return false;
        }

        duration = match.Groups["u"].Value[0] switch
        {
            'm' when match.Groups["u"].Value.StartsWith("mo", StringComparison.Ordinal) => TimeSpan.FromDays(30 * amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(7 * amount),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }

    /// <summary>The compact form stored in slots and events: <c>2d</c>, <c>4h</c>, <c>90m</c>.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalDays >= 1 && duration.TotalDays == Math.Floor(duration.TotalDays) ? $"{duration.TotalDays:0}d"
        : duration.TotalHours >= 1 && duration.TotalHours == Math.Floor(duration.TotalHours) ? $"{duration.TotalHours:0}h"
        : $"{duration.TotalMinutes:0}m";

    /// <summary>
    /// The same length as people write it, for what people read (an approval's summary, a receipt, a resolution note):
    /// <c>2 days</c>, <c>1 hour</c>, <c>90 minutes</c>. A slot or an event keeps <see cref="Format"/>'s form, which
    /// <see cref="TryParse"/> reads back; this one it reads too.
    /// </summary>
    public static string Describe(TimeSpan duration) =>
        duration.TotalDays >= 1 && duration.TotalDays == Math.Floor(duration.TotalDays) ? Count(duration.TotalDays, "day")
        : duration.TotalHours >= 1 && duration.TotalHours == Math.Floor(duration.TotalHours) ? Count(duration.TotalHours, "hour")
        : Count(Math.Round(duration.TotalMinutes), "minute");

    private static string Count(double amount, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:0} {unit}{(amount == 1 ? "" : "s")}");

    private static readonly Dictionary<string, int> Words = new(StringComparer.Ordinal)
    {
        ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["ten"] = 10, ["twelve"] = 12,
    };

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?|an?|one|two|three|four|five|six|seven|eight|ten|twelve)\s*(?<u>months?|mo|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)$")]
    private static partial Regex Pattern();
}
