using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// A command whose first word is no verb and whose second is a ticket key (<c>/it reply IT-42 your monitor is ordered</c>,
/// <c>/it close IT-42</c>) was meant as a command on that ticket, not as a new request. It opened a ticket named
/// "reply IT-42 your monitor is ordered" in the queue, and the requester heard nothing. Such a command is refused with the
/// verb that was likely meant, and nothing is stored.
/// </summary>
/// <remarks>
/// Left to the request handling: the ticket's own requester (<c>/it update IT-42 it smells of smoke now</c> adds to their
/// ticket, <see cref="ExistingRequests"/>), and anyone but an agent whose first word is no likely verb (<c>/it laptop
/// IT-42 broke again</c> may be a new request).
/// </remarks>
public static class MistypedVerb
{
    /// <summary>Words people use for a verb of another name, from other service desks' vocabulary.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["close"] = "resolve", ["done"] = "resolve", ["fix"] = "resolve", ["fixed"] = "resolve", ["solve"] = "resolve",
        ["solved"] = "resolve", ["complete"] = "resolve", ["finish"] = "resolve",
        ["pending"] = "wait", ["waiting"] = "wait", ["hold"] = "wait",
        ["take"] = "claim", ["grab"] = "claim", ["pick"] = "claim",
        ["comment"] = "note", ["internal"] = "note",
        ["reassign"] = "assign", ["transfer"] = "assign", ["give"] = "assign",
        ["move"] = "escalate", ["route"] = "escalate",
        ["dup"] = "duplicate", ["dupe"] = "duplicate", ["merge"] = "duplicate",
        ["prio"] = "priority", ["urgency"] = "priority",
        ["unresolve"] = "reopen",
        ["show"] = "status", ["view"] = "status", ["info"] = "status",
        ["reject"] = "deny", ["rejected"] = "deny", ["decline"] = "deny", ["denied"] = "deny", ["approved"] = "approve", ["ok"] = "approve",
    };

    /// <summary>Words for answering the requester, which is done in the ticket's queue thread, not by a command.</summary>
    private static readonly HashSet<string> ReplyWords = new(StringComparer.OrdinalIgnoreCase) { "reply", "respond", "answer", "tell", "message", "msg" };

    /// <summary>Words for taking a request back, which only its requester does, from its card.</summary>
    private static readonly HashSet<string> WithdrawWords = new(StringComparer.OrdinalIgnoreCase) { "cancel", "withdraw", "remove", "delete" };

    /// <summary>The ticket key a command's arguments begin with, when they do.</summary>
    public static string? KeyFirst(string arguments)
    {
        var first = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.TrimEnd(':', ',', '.', '?', '!');
        return TicketKey.TryParse(first?.ToUpperInvariant(), out var key) ? key.ToString() : null;
    }

    /// <summary>
    /// The refusal of <c>/COMMAND WORD KEY …</c>, or null when it is left to the request handling: the word is no likely verb
    /// and the person is no agent.
    /// </summary>
    public static UsageException? Refusal(string command, string word, string key, IReadOnlyList<ICommandVerb> verbs, Person person)
    {
        var meant = Meant(word, verbs);
        var reply = ReplyWords.Contains(word);
        var withdraw = WithdrawWords.Contains(word);
        if (meant is null && !reply && !withdraw && !person.HasRole(Roles.Agent))
        {
            return null;
        }

        var problem = $"/{command} {word.ToLowerInvariant()} is not a command, so nothing was done with {key}.";
        var usage = meant is not null
            ? $"{meant.Usage}"
            : reply
                ? $"reply in {key}'s queue thread to answer its requester (begin with note: to keep it among agents). /{command} help lists the commands."
                : withdraw
                    ? $"{key}'s requester withdraws it with \"I no longer need this\" on its card; its agents resolve it (/{command} resolve KEY) or stop its workflow (/{command} override KEY cancel REASON)."
                    : $"/{command} help lists the commands.";
        return new UsageException(problem, usage);
    }

    /// <summary>
    /// The refusal of <c>/COMMAND WORD</c> alone (<c>/it close</c>, <c>/it pending</c>), which opened a ticket named "close",
    /// or null when it is left to the request handling. An agent's word is refused when it is a likely verb (a synonym or
    /// a misspelling), a reply word or a withdraw word; anyone else's only when it is a synonym of a verb meant for them
    /// (<c>/it show</c>, <c>/it approved</c>) or a withdraw word, so a one-word request that is spelt like a verb
    /// (<c>/it repo</c>) still opens.
    /// </summary>
    public static UsageException? LoneRefusal(string command, string word, IReadOnlyList<ICommandVerb> verbs, Person person)
    {
        var agent = person.HasRole(Roles.Agent) || person.HasRole(Roles.Admin);
        var meant = Meant(word, verbs, misspelt: agent);
        if (meant is not null && !agent && !(meant.Audience.Count == 0 || meant.Audience.Any(person.HasRole)))
        {
            meant = null;
        }

        var reply = agent && ReplyWords.Contains(word);
        var withdraw = WithdrawWords.Contains(word);
        if (meant is null && !reply && !withdraw)
        {
            return null;
        }

        var problem = $"/{command} {word.ToLowerInvariant()} is not a command, so nothing was opened.";
        var usage = meant is not null
            ? meant.Usage
            : reply
                ? $"reply in the ticket's queue thread to answer its requester (begin with note: to keep it among agents). /{command} help lists the commands."
                : $"a request's requester withdraws it with \"I no longer need this\" on its card; /{command} status lists your open requests.";
        return new UsageException(problem, usage);
    }

    /// <summary>
    /// The verb <paramref name="word"/> likely means: a synonym of one, or, when <paramref name="misspelt"/>, one spelt
    /// within two letters of it ("reslove").
    /// </summary>
    private static ICommandVerb? Meant(string word, IReadOnlyList<ICommandVerb> verbs, bool misspelt = true)
    {
        if (Synonyms.TryGetValue(word, out var synonym) && verbs.FirstOrDefault(v => v.Verb == synonym) is { } named)
        {
            return named;
        }

        return word.Length < 4 || !misspelt ? null : verbs
            .Select(v => (Verb: v, Distance: Distance(word.ToLowerInvariant(), v.Verb)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance).ThenBy(c => c.Verb.Verb, StringComparer.Ordinal)
            .Select(c => c.Verb)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance (insertions, deletions and substitutions).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
