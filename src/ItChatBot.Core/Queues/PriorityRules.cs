using System.Text.RegularExpressions;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Configurable keyword rules that set a new request's priority ("outage", "everyone", "down" → P1).
/// Words match as whole words, so "down" does not make "download" urgent.
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
        new() { Priority = "P4", Words = ["when you can", "no rush", "low priority", "nice to have"] },
    ];

    /// <summary>The priority of the first rule with a word in <paramref name="text"/>, or null when none matches.</summary>
    public string? Match(string text) => _rules.FirstOrDefault(r => r.Pattern.IsMatch(text)).Priority;

    private static (string, Regex) Compile(PriorityRule rule)
    {
        var priority = Priority.Parse(rule.Priority);
        var words = rule.Words.Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
        if (words.Count == 0)
        {
            throw new InvalidOperationException($"Queues:PriorityRules: the rule for {priority} has no words.");
        }

        // A word boundary only where the word starts or ends with a letter or digit, so "can't work" still matches.
        var alternatives = words.Select(w =>
            (char.IsLetterOrDigit(w[0]) ? @"\b" : "") + Regex.Escape(w) + (char.IsLetterOrDigit(w[^1]) ? @"\b" : ""));
        return (priority, new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }
}
