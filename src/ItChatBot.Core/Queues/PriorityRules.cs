using System.Text.RegularExpressions;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Configurable keyword rules that set a new request's priority ("outage", "everyone", "down" → P1).
/// Words match as whole words, so "down" does not make "download" urgent; and not where the sentence denies them, so
/// "not urgent", "nothing is down" and "not an outage" raise nothing ("not urgent" was P1).
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
        new() { Priority = "P2", Words = ["can't work", "cannot work", "blocked", "asap", "not working", "locked out"] },
        new() { Priority = "P4", Words = ["when you can", "no rush", "low priority", "nice to have", "not urgent"] },
    ];

    /// <summary>The priority of the first rule with a word in <paramref name="text"/>, or null when none matches.</summary>
    public string? Match(string text) => _rules.FirstOrDefault(r => r.Pattern.IsMatch(text)).Priority;

    /// <summary>Not after a denial, next to the word or one word before it.</summary>
    private const string Denied = @"(?<!\b(?:not|no|nothing|never|non|isn't|isnt|isn’t|aren't|arent|aren’t|wasn't|wasnt|wasn’t|hardly)[\s-]+(?:[\p{L}'’]+\s+)?)";

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
            Denied + (char.IsLetterOrDigit(w[0]) ? @"\b" : "") + Regex.Escape(w) + (char.IsLetterOrDigit(w[^1]) ? @"\b" : ""));
        return (priority, new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }
}
