using System.Text.RegularExpressions;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Configurable keyword rules that set a new request's priority ("outage", "everyone", "down" → P1).
/// Words match as whole words, so "down" does not make "download" urgent; and not where the sentence denies them, so
/// "not urgent", "nothing is down" and "not an outage" raise nothing ("not urgent" was P1). Nor where the words name whom a
/// request is for ("can everyone in my team get access", "send an email to everyone") or "down" is part of another verb
/// ("my laptop keeps shutting down", "my screen is upside down") or says how much is left ("my fan is down to a whisper"):
/// each of those was P1, the outage priority.
/// </summary>
public sealed class PriorityRules
{
    private readonly IReadOnlyList<(string Priority, Regex Pattern)> _rules;

    public PriorityRules(IEnumerable<PriorityRule> rules)
    {
        var list = rules.ToList();
        _rules = [.. (list.Count == 0 ? Defaults() : list).Select(Compile)];
    }

    public static IReadOnlyList<PriorityRule> Defaults() =>
    [
        new() { Priority = "P1", Words = ["outage", "everyone", "down", "all users", "urgent", "ransomware", "breach"] },
        // "stopped working" and "won't turn on" say what "not working" says; they were P3.
        new() { Priority = "P2", Words = ["can't work", "cannot work", "blocked", "asap", "not working", "locked out",
            "isn't working", "stopped working", "doesn't work", "won't turn on", "won't start", "won't boot"] },
        new() { Priority = "P4", Words = ["when you can", "no rush", "low priority", "nice to have", "not urgent"] },
    ];

    /// <summary>The priority of the first rule with a word in <paramref name="text"/>, or null when none matches.</summary>
    public string? Match(string text) => _rules.FirstOrDefault(r => r.Pattern.IsMatch(text)).Priority;

    /// <summary>Not after a denial, next to the word or one word before it.</summary>
    private const string Denied = @"(?<!\b(?:not|no|nothing|never|non|isn't|isnt|isn’t|aren't|arent|aren’t|wasn't|wasnt|wasn’t|hardly)[\s-]+(?:[\p{L}'’]+\s+)?)";

    /// <summary>
    /// Not right after a word that makes the people a request names its beneficiaries rather than those affected: "can
    /// everyone…", "for everyone on my team", "give everyone", "to all users". "down for everyone" still matches "down".
    /// "with" is not among them: "something is wrong with everyone's email" is about those affected.
    /// </summary>
    private const string ForWhom = @"(?<!\b(?:can|could|for|to|give|let|add|invite|email|message|tell|cc|notify|remind)\s+)";

    /// <summary>
    /// "down" as part of another verb ("shutting down", "upside down", "slows down", "runs down", "scroll down", "turn the
    /// volume down"), which says nothing about an outage. Only for words that start with "down".
    /// </summary>
    private const string OtherDown = @"(?<!\b(?:shut|shuts|shutting|upside|slow|slows|slowing|slowed|run|runs|running|ran|turn|turns|turned|turning|volume|calm|drop|scroll|scrolls|scrolling|scrolled|count|step|stepping|write|wrote|written|note|jot|put|sit|lie|narrow|cut|wind|tone|pull|pulled|drill|trickle|up and|thumbs|face)\s+)";

    /// <summary>
    /// "down to" a level ("my fan is down to a whisper", "the battery is down to 10% by lunch"), which says how much is left,
    /// not that something is down. Only for words that end with "down".
    /// </summary>
    private const string DownToLevel = @"(?!\s+to\b)";

    private static (string, Regex) Compile(PriorityRule rule)
    {
        var priority = Priority.Parse(rule.Priority);
        var words = rule.Words.Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
        if (words.Count == 0)
        {
            throw new InvalidOperationException($"Queues:PriorityRules: the rule for {priority} has no words.");
        }

        // A word boundary only where the word starts or ends with a letter or digit, so "can't work" still matches; and no
        // denial right before it, or one word before it ("not urgent", "not very urgent", "not an outage").
        var alternatives = words.Select(w =>
            Denied + ForWhom + (w.StartsWith("down", StringComparison.OrdinalIgnoreCase) ? OtherDown : "")
            + (char.IsLetterOrDigit(w[0]) ? @"\b" : "") + Apostrophes(Regex.Escape(w)) + (char.IsLetterOrDigit(w[^1]) ? @"\b" : "")
            + (w.EndsWith("down", StringComparison.OrdinalIgnoreCase) ? DownToLevel : ""));
        return (priority, new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }

    /// <summary>Either apostrophe where the word has one: phones type "won’t", the rules say "won't" (it matched only one).</summary>
    private static string Apostrophes(string escaped) => Regex.Replace(escaped, "['’]", "['’]");
}
