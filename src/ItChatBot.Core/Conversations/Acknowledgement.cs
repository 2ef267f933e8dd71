using System.Text.RegularExpressions;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// Short messages that thank or confirm rather than ask: "thanks!", "thank you so much", "works now, thanks", "all good 👍".
/// A requester writes them after a resolution; they must not reopen the ticket or open a new one, and on their own they
/// are not a request.
/// </summary>
public static partial class Acknowledgement
{
    /// <summary>Longer messages are read as saying something, whatever words they use.</summary>
    private const int MaxWords = 10;

    /// <summary>Only thanks: "thanks!", "thank you so much", "many thanks", "thx", "cheers".</summary>
    public static bool IsThanks(string text) => ThanksPattern().IsMatch(text);

    /// <summary>
    /// Thanks or a confirmation that it works ("works now, thanks", "perfect", "all sorted", "👍"), short and with no word
    /// of a problem in it ("thanks but it is still slow" and "not fixed" are not).
    /// </summary>
    public static bool IsThanksOrConfirmation(string text)
    {
        if (IsThanks(text))
        {
            return true;
        }

        var words = ChatWords.Of(text);
        if (words.Count == 0)
        {
            // Only an emoji or punctuation: a thumbs-up, a smile.
            return PositiveEmojiPattern().IsMatch(text);
        }

        // Every word must be one of thanks or of things working, or a word that may stand beside them: any other word
        // ("not", "still", "but", "doesn't", "printer") may say something is wrong, and the message is read as saying it.
        return words.Count <= MaxWords && (words.Any(PositiveWords.Contains) || FixedPhrasePattern().IsMatch(text))
            && words.All(w => PositiveWords.Contains(w) || Neutral.Contains(w));
    }

    /// <summary>
    /// A confirmation that the problem is gone ("that fixed it, thanks!", "works now", "all good now", "did the trick"):
    /// <see cref="IsThanksOrConfirmation"/> with a word of it working, and not a question. Thanks alone ("thanks, will
    /// try") or praise alone ("perfect") may only acknowledge an answer, so they are not.
    /// </summary>
    public static bool SaysFixed(string text) =>
        IsThanksOrConfirmation(text) && !IsQuestion(text)
        && (ChatWords.Of(text).Any(FixedWords.Contains) || FixedPhrasePattern().IsMatch(text));

    private static readonly HashSet<string> FixedWords = new(StringComparer.Ordinal)
    {
        "works", "working", "worked", "fixed", "solved", "resolved", "sorted",
    };

    /// <summary>
    /// A question ("is it fixed?", "did that work"): it asks whether something works rather than saying that it does,
    /// though its words are those of a confirmation.
    /// </summary>
    public static bool IsQuestion(string text) => text.Contains('?', StringComparison.Ordinal) || QuestionStartPattern().IsMatch(text);

    private static readonly HashSet<string> PositiveWords = new(StringComparer.Ordinal)
    {
        "thanks", "thank", "thx", "ty", "cheers", "ta", "appreciated", "appreciate",
        "works", "working", "worked", "fixed", "solved", "resolved", "sorted", "perfect", "great", "awesome", "brilliant",
        "excellent", "amazing", "fantastic", "nice", "cool", "good", "fine", "ok", "okay", "lovely", "legend", "done",
    };

    /// <summary>Words that may stand beside the positive ones without changing what is said.</summary>
    private static readonly HashSet<string> Neutral = new(StringComparer.Ordinal)
    {
        "you", "so", "much", "very", "a", "lot", "many", "again", "all", "now", "it", "its", "that", "this", "is", "was", "did",
        "the", "trick", "everything", "for", "your", "help", "quick", "fast", "fix", "really", "just", "yes", "yep", "yeah",
        "job", "super", "indeed", "as", "expected", "and", "me", "sorting", "got", "i", "thats", "seems", "looks",
        "to", "be", "well", "team", "guys", "folks", "mate", "oh", "wow",
    };

    [GeneratedRegex(@"^\W*(?:(?:many\s+)?thanks?(?:\s+you)?|thank\s+you|thx|ty|cheers|ta)\b(?:\s+(?:a\s+lot|so\s+much|very\s+much|again))?\W*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThanksPattern();

    [GeneratedRegex(@"\b(all good|did the trick)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FixedPhrasePattern();

    [GeneratedRegex(@"^\W*(is|are|was|were|did|does|do|has|have|will|can|could|should|would)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionStartPattern();

    [GeneratedRegex(@"^[\s!.:)(]*(?:👍|🙏|🙌|✅|😊|🙂|😀|🎉|❤️|:\)|:-\))+[\s!.:)(]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PositiveEmojiPattern();
}
