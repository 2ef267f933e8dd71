using System.Text.RegularExpressions;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Understanding;

/// <summary>
/// Finds the slots of a request: an application from the catalog (by name or alias, whole words), a duration
/// ("for 2 days", "for an hour", "until tomorrow") or an end ("until Friday", <see cref="UntilText"/>) and a device
/// ("my iPhone"). Also masks them in the text so the
/// classifier sees "access to _app for _duration" whatever the application was.
/// </summary>
public sealed partial class SlotExtractor(IApplicationCatalog applications)
{
    public const string AppToken = "_app";
    public const string DurationToken = "_duration";

    private static readonly (string Word, string Device)[] Devices =
    [
        ("macbook", "laptop"), ("laptop", "laptop"), ("notebook", "laptop"), ("iphone", "phone"), ("android", "phone"), ("phone", "phone"),
        ("mobile", "phone"), ("ipad", "tablet"), ("tablet", "tablet"), ("desktop", "desktop"), ("pc", "desktop"), ("computer", "desktop"),
        ("monitor", "monitor"), ("printer", "printer"), ("headset", "headset"),
    ];

    private volatile NameIndex? _names;

    public ExtractedSlots Extract(string text)
    {
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        var masked = text;

        // One alternation of every name and alias, longest first, rebuilt only when the catalog changes.
        var names = Names();
        var found = names.Pattern.Match(masked);
        while (found.Success && IsPlace(masked, found))
        {
            found = found.NextMatch();
        }

        if (found.Success)
        {
            slots["application"] = names.ByName[found.Value].Id;
            masked = string.Concat(masked.AsSpan(0, found.Index), AppToken, masked.AsSpan(found.Index + found.Length));
        }

        var duration = DurationPattern().Match(masked);
        if (duration.Success)
        {
            var phrase = duration.Groups["tomorrow"].Success ? "1d" : duration.Groups["the"].Success ? $"1 {duration.Groups["unit2"].Value}" : $"{duration.Groups["n"].Value} {duration.Groups["unit"].Value}";
            if (DurationText.TryParse(phrase, out var span))
            {
                slots["duration"] = DurationText.Format(span);
            }

            // Masked even when it is no duration ("for 0 hours"): the request still reads as one for time-bound access,
            // and the intake refuses it (RefusedDuration) rather than the classifier missing what was asked.
            masked = $"{masked[..duration.Index]} {DurationToken} {masked[(duration.Index + duration.Length)..]}";
        }
        else if (PastEndPattern().Match(masked) is { Success: true } past)
        {
            masked = $"{masked[..past.Index]} {DurationToken} {masked[(past.Index + past.Length)..]}";
        }
        else if (UntilText.Find(masked) is { } until)
        {
            // "until Friday": an end rather than a length, worked out when the request is made (RequestIntake).
            slots["until"] = until.End;
            masked = $"{masked[..until.Match.Index]} {DurationToken} {masked[(until.Match.Index + until.Match.Length)..]}";
        }

        var devices = DevicePattern().Matches(masked).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var (word, device) in Devices)
        {
            if (devices.Contains(word))
            {
                slots["device"] = device;
                break;
            }
        }

        return new ExtractedSlots(slots, masked);
    }

    /// <summary>
    /// The words of a request that ask for access for no time or for a time already over ("for 0 hours", "for -2 days",
    /// "until yesterday"), or null. Such a request is refused when it is made, rather than granted for the default duration.
    /// </summary>
    public static string? RefusedDuration(string text)
    {
        if (PastEndPattern().Match(text) is { Success: true } past)
        {
            return past.Value;
        }

        var asked = DurationPattern().Match(text);
        return asked.Success && asked.Groups["n"].Success && !DurationText.TryParse($"{asked.Groups["n"].Value} {asked.Groups["unit"].Value}", out _)
            ? asked.Value
            : null;
    }

    /// <summary>Application aliases that are also places people are in ("Microsoft Office" is known as "office").</summary>
    private static readonly HashSet<string> PlaceWords = new(StringComparer.OrdinalIgnoreCase) { "office" };

    /// <summary>
    /// "into the office", "our office printer": a place, not the application, when a determiner comes right before it.
    /// "someone is tailgating into the office" was taken for time-bound access to Microsoft Office. "install office" and
    /// "an Office licence" still name the application.
    /// </summary>
    private static bool IsPlace(string text, Match found) =>
        PlaceWords.Contains(found.Value) && PlaceDeterminerPattern().IsMatch(text.AsSpan(0, found.Index).ToString());

    [GeneratedRegex(@"\b(the|our|my|this|that|your|their|whole|main|head)\s+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PlaceDeterminerPattern();

    private NameIndex Names()
    {
        var all = applications.All;
        if (_names is { } cached && ReferenceEquals(cached.Source, all))
        {
            return cached;
        }

        var byName = new Dictionary<string, Application>(StringComparer.OrdinalIgnoreCase);
        foreach (var app in all)
        {
            foreach (var name in app.Names)
            {
                byName.TryAdd(name, app);
            }
        }

        var alternation = string.Join('|', byName.Keys.OrderByDescending(n => n.Length).Select(Regex.Escape));
        var pattern = new Regex($@"(?<![\w-])(?:{alternation})(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
        var built = new NameIndex(all, pattern, byName);
        _names = built;
        return built;
    }

    private sealed record NameIndex(IReadOnlyList<Application> Source, Regex Pattern, Dictionary<string, Application> ByName);

    [GeneratedRegex(@"\b(macbook|laptop|notebook|iphone|android|phone|mobile|ipad|tablet|desktop|pc|computer|monitor|printer|headset)s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DevicePattern();

    [GeneratedRegex(@"\b(?:for|during)\s+(?:(?:the\s+next\s+)?(?<n>-?\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|ten|twelve)\s*(?<unit>months?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|w)\b|the\s+(?<the>)(?<unit2>day|week|hour|month)\b)|\b(?<tomorrow>until\s+tomorrow)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"\buntil\s+(?:yesterday|last\s+(?:night|week|month))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PastEndPattern();
}

/// <param name="Masked">The text with the application and duration replaced by placeholder terms, for the classifier.</param>
public sealed record ExtractedSlots(IReadOnlyDictionary<string, string> Slots, string Masked);
