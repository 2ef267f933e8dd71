using System.Globalization;
using System.Text.RegularExpressions;

namespace ItChatBot.Core.Import;

/// <summary>
/// An ISO 8601 time as a history carries it: year first (<c>2026-03-02T09:15:00Z</c>, <c>2026-03-02 09:15</c>,
/// <c>2026-03-02</c>), a zone or UTC. <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
/// alone takes almost anything and guesses: it read Jira's impossible <c>31/Feb/26 10:00 AM</c> as 26 February 2031, and
/// <c>03/02/2026</c> as 2 March, so a history could land years or months away from where it happened without a word.
/// </summary>
public static partial class Iso8601
{
    /// <summary>Parses <paramref name="text"/> if it has the ISO 8601 shape; without a zone it is UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is not null
            && Shape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)? ?(?:Z|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
