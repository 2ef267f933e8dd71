using System.Text.RegularExpressions;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// A message that asks where a request stands rather than making one: "any update on my ticket?", "where is my request",
/// "what's happening with IT-1082?". Opening a ticket named "any update on my ticket?" put noise in the queue and counted
/// as volume; the answer is the ticket's card, or the person's own requests.
/// </summary>
/// <remarks>
/// Read narrowly: a request that mentions a ticket or "my request" for another reason ("where do I submit my request for a
/// laptop", "IT-1082 is still not fixed") is not a status question, and is handled as before.
/// </remarks>
public static partial class StatusQuestion
{
    /// <summary>Longer messages say more than "how is it going".</summary>
    private const int MaxWords = 12;

    /// <summary>What a status question asks about: one ticket by its key, or the person's own requests (<see cref="Key"/> null).</summary>
    public sealed record Asked(string? Key);

    public static Asked? Find(string text)
    {
        var words = WordPattern().Matches(text).Count;
        if (words == 0 || words > MaxWords || ProblemPattern().IsMatch(text))
        {
            return null;
        }

        var keys = Keys(text);
        if (keys.Count == 1)
        {
            // "IT-1082?" alone, or "status of IT-1082", "is IT-1082 fixed yet", "any news on IT-1082"
            var rest = KeyPattern().Replace(text, " ");
            var onlyKey = !WordPattern().IsMatch(rest);
            return onlyKey || (AboutKeyPattern().IsMatch(text) && SaysLittleElse(rest)) ? new Asked(keys[0]) : null;
        }

        return keys.Count == 0 && MinePattern().IsMatch(text) ? new Asked(null) : null;
    }

    /// <summary>Words a question about a ticket is asked in, besides the ticket and what is asked (<see cref="AboutKeyPattern"/>).</summary>
    private static readonly HashSet<string> QuestionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "is", "are", "was", "it", "its", "it's", "what", "what's", "whats", "with", "on", "of", "for", "about",
        "any", "there", "yet", "please", "pls", "how", "hi", "hello", "hey", "thanks", "can", "could", "you", "i", "me", "my",
        "ticket", "request", "case", "give", "get", "got", "do", "does", "did", "when", "will", "be", "let", "know", "we", "so",
        "far", "been", "has", "have", "anything", "new", "now", "where", "who", "by", "today", "soon", "just", "checking", "check",
        "wondering", "ask", "asking", "quick", "question", "re",
    };

    /// <summary>
    /// At most two words besides the question's own: "update IT-42 the battery smells of smoke now" tells the team something
    /// (it is added to the ticket), where "any update on IT-42, it's been 3 days" only asks.
    /// </summary>
    private static bool SaysLittleElse(string withoutKey) =>
        WordPattern().Matches(withoutKey).Count(w => !QuestionWords.Contains(w.Value) && !AboutKeyPattern().IsMatch(w.Value)) <= 2;

    /// <summary>The one ticket key <paramref name="text"/> names ("IT-42 is still not working"), or null when it names none or several.</summary>
    public static string? OneKey(string text) => Keys(text) is [var key] ? key : null;

    private static List<string> Keys(string text) =>
        [.. KeyPattern().Matches(text).Select(m => m.Value.ToUpperInvariant()).Where(k => TicketKey.TryParse(k, out _)).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\b" + TicketKey.Pattern + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    /// <summary>A word of a problem that persists: the message reports something, it does not only ask.</summary>
    [GeneratedRegex(@"\b(not|still|again|broken|n't|never|wrong|worse)\b|n't\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProblemPattern();

    [GeneratedRegex(@"\b(status|update|updates|progress|news|happening|fixed|resolved|done|eta|sorted|going)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AboutKeyPattern();

    [GeneratedRegex(
        @"^\W*(any\s+)?(update|updates|news)\W*$"
        + @"|\b(any|an|got\s+an?)\s+(update|updates|news|progress)\s+(on|about|for|with)\s+my\s+(ticket|request|case)s?\b"
        + @"|\b(status|progress)\s+(of|on)\s+my\s+(ticket|request|case)s?\b"
        + @"|\bmy\s+(ticket|request|case)s?('s)?\s+status\b"
        + @"|\bwhere\s+(is|are|'s)\s+my\s+(ticket|request|case)s?\b"
        + @"|\bwhere'?s\s+my\s+(ticket|request|case)\b"
        + @"|\bwhat('?s|\s+is)\s+(happening|going\s+on)\s+with\s+my\s+(ticket|request|case)s?\b"
        + @"|\b(check|see)\s+(the\s+)?status\s+of\s+my\s+(ticket|request|case)s?\b"
        + @"|\bhow\s+is\s+my\s+(ticket|request|case)\s+(going|doing|coming\s+along)\b"
        + @"|\bwho('?s|\s+is)\s+(working\s+on|handling|looking\s+(at|into)|dealing\s+with|assigned\s+to)\s+my\s+(ticket|request|case)\b"
        + @"|\b(has|did)\s+(anyone|anybody|someone|somebody)\s+(looked\s+at|picked\s+up|seen|read|taken)\s+my\s+(ticket|request|case)\b"
        // Asking for the list: "what are my open tickets", "show me my requests", "my tickets?", "do I have any open tickets".
        + @"|^\W*((can\s+you\s+|please\s+)?(show|list|see|view|give)(\s+me)?\s+(all\s+)?)?my\s+(open\s+|pending\s+|current\s+|active\s+)?(tickets|requests|cases)(\s+please)?\W*$"
        + @"|\bwhat\s+(are|'re)\s+(all\s+)?my\s+(open\s+|pending\s+|current\s+|active\s+)?(tickets|requests|cases)\b"
        + @"|\b(do|have)\s+i\s+(have|got)\s+(any\s+)?(open|pending|active)\s+(tickets|requests|cases)\b"
        + @"|\bwhich\s+(tickets|requests|cases)\s+(do\s+i\s+have|have\s+i\s+got)\s+open\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MinePattern();
}
