using System.Text;

namespace ItChatBot.Automation.Understanding;

/// <summary>
/// Turns text into terms for the classifier: lower case, words only, stop words out, a light stemmer and a few
/// synonyms, so "Resetting passwords" and "reset my pwd" meet on the same terms.
/// </summary>
public static class TextNormalizer
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "i", "im", "me", "my", "mine", "we", "our", "you", "your", "it", "its", "is", "am", "are", "was", "were", "be", "been",
        "to", "of", "in", "on", "at", "for", "with", "and", "or", "but", "so", "this", "that", "these", "those", "there", "here", "please", "pls",
        "can", "could", "would", "will", "should", "do", "does", "did", "have", "has", "had", "hi", "hello", "hey", "thanks", "thank", "just",
        "some", "any", "get", "got", "about", "from", "by", "as", "if", "up", "out", "now", "again", "also", "like", "want", "wanted", "help",
        "someone", "anyone", "what", "how", "why", "when", "where", "who", "which", "still", "very", "really", "today", "team", "need", "needs",
        "request", "requests", "ticket", "tickets", "into",
    ];

    /// <summary>Words that say nothing about what a request is about ("how", "my", "please", "need"); the knowledge base leaves them out too.</summary>
    internal static IReadOnlyCollection<string> FillerWords => StopWords;

    /// <summary>
    /// Words that describe a thing rather than name it ("new", "old", "full"): what a request is about is elsewhere. The
    /// knowledge base makes no article's subject of them, and the classifier learns nothing from them in an example.
    /// </summary>
    public static IReadOnlyList<string> DescriptiveWords { get; } = ["new", "old", "full", "large", "big", "small"];

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["pwd"] = "password", ["passwd"] = "password", ["passcode"] = "password", ["pw"] = "password",
        ["login"] = "signin", ["logon"] = "signin", ["log"] = "signin", ["sign"] = "signin", ["signon"] = "signin",
        ["administrator"] = "admin", ["elevated"] = "admin", ["sudo"] = "admin", ["privilege"] = "admin", ["privileges"] = "admin", ["root"] = "admin",
        ["enrol"] = "enroll", ["enrolment"] = "enroll", ["enrollment"] = "enroll", ["enrolling"] = "enroll", ["enrolled"] = "enroll", ["register"] = "enroll", ["intune"] = "mdm",
        ["laptop"] = "computer", ["pc"] = "computer", ["machine"] = "computer", ["desktop"] = "computer", ["macbook"] = "computer", ["workstation"] = "computer",
        ["iphone"] = "phone", ["android"] = "phone", ["mobile"] = "phone", ["ipad"] = "tablet",
        ["permission"] = "access", ["permissions"] = "access", ["rights"] = "access", ["entry"] = "access",
        ["starter"] = "hire", ["joiner"] = "hire", ["newcomer"] = "hire", ["employee"] = "hire", ["started"] = "joined", ["joined"] = "joined", ["first"] = "joined",
        ["locked"] = "lock", ["lockout"] = "lock", ["unlock"] = "lock", ["unlocked"] = "lock", ["unlocking"] = "lock", ["forgot"] = "forget", ["forgotten"] = "forget",
        ["setup"] = "set", ["installing"] = "install", ["installed"] = "install", ["installation"] = "install", ["download"] = "install",
    };

    /// <summary>The terms of <paramref name="text"/>, in order, repeated as they occur.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '’')
            {
                // "can't" → "cant", "I'm" → "im": the apostrophe joins rather than splits.
            }
            else
            {
                Flush(word, terms);
            }
        }

        Flush(word, terms);
        return terms;
    }

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var w = word.ToString();
        word.Clear();
        if (StopWords.Contains(w))
        {
            return;
        }

        w = Synonyms.GetValueOrDefault(w, w);
        w = Stem(w);
        terms.Add(Synonyms.GetValueOrDefault(w, w));
    }

    /// <summary>A deliberately small suffix stripper: enough to join plurals and -ing/-ed forms.</summary>
    public static string Stem(string w)
    {
        if (w.Length <= 4 || w.Any(char.IsDigit) || w.StartsWith('_'))
        {
            return w;
        }

        if (w.EndsWith("ies", StringComparison.Ordinal))
        {
            return w[..^3] + "y";
        }

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5)
        {
            return w[..^3];
        }

        if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 5)
        {
            return w[..^2];
        }

        if (w.EndsWith("es", StringComparison.Ordinal) && (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal)))
        {
            return w[..^2];
        }

        return w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w;
    }
}
