using ItChatBot.Automation.Understanding;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// A message that asks to open a request without saying what it is about: "open a ticket", "I want to raise a ticket",
/// "I have an issue", "can you log a request for me". Such a message opened a ticket named after it (nothing for the
/// team to act on, and a ticket in the volume), or was taken for an access request because "open" and "request" are
/// words of that workflow's examples. The answer is to ask what is needed.
/// </summary>
public static class EmptyRequest
{
    /// <summary>Longer messages say something, whatever their words.</summary>
    private const int MaxWords = 12;

    /// <summary>Words of asking for a ticket, or for help in general, that name nothing to be done.</summary>
    private static readonly HashSet<string> OpeningWords = new(StringComparer.Ordinal)
    {
        "open", "opening", "raise", "raising", "log", "logging", "create", "creating", "submit", "submitting", "file", "make",
        "start", "new", "ticket", "tickets", "request", "requests", "case", "issue", "issues", "problem", "problems", "question",
        "questions", "query", "support", "helpdesk", "servicedesk", "desk", "service", "assistance", "something", "quick", "small",
        "got", "ive", "id", "let", "lets",
    };

    /// <summary>True when every word is one of asking for a ticket or help, or filler, and at least one asks.</summary>
    public static bool IsOnly(string text)
    {
        var words = ChatWords.Of(text);
        return words.Count is > 0 and <= MaxWords
            && !SignsIn(words)
            && words.Any(OpeningWords.Contains)
            && words.All(w => OpeningWords.Contains(w) || TextNormalizer.FillerWords.Contains(w));
    }

    /// <summary>"log in", "log on": a sign-in, not the logging of a ticket.</summary>
    private static bool SignsIn(List<string> words) =>
        words.Zip(words.Skip(1)).Any(p => p.First is "log" or "logging" && p.Second is "in" or "on" or "into");
}
