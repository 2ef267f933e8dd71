using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Splits <c>KEY rest…</c> and refuses a missing or malformed key with the verb's correct form.</summary>
public static class VerbArguments
{
    public static (string Key, string Remainder) KeyAndRest(string arguments, string usage)
    {
        var text = arguments.Trim();
        if (text.Length == 0)
        {
            throw new UsageException("Which ticket?", usage);
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var key = space < 0 ? text : text[..space];
        if (!TicketKey.TryParse(key, out var parsed))
        {
            throw new UsageException($"'{key}' is not a ticket key.", usage);
        }

        return (parsed.ToString(), space < 0 ? "" : text[(space + 1)..].Trim());
    }

    public static string KeyOnly(string arguments, string usage)
    {
        var (key, rest) = KeyAndRest(arguments, usage);
        return rest.Length == 0 ? key : throw new UsageException($"'{rest}' was not expected after {key}.", usage);
    }

    /// <summary>
    /// As <see cref="KeyAndRest"/>, except that in a ticket's thread (its queue thread, where agents work on it) the key may
    /// be left out: "/it resolve replaced the dock" there resolves that ticket, as a web chat agent types it. A
    /// first word that is a key still names the ticket; outside a ticket's thread the key is required as before.
    /// </summary>
    public static async Task<(string Key, string Remainder)> KeyAndRestAsync(Turn turn, QueueDesk desk, string arguments, string usage, CancellationToken cancellationToken)
    {
        var text = arguments.Trim();
        return !TicketKey.TryParse(text.Split(' ', 2)[0], out _) && await desk.ThreadTicketAsync(turn, cancellationToken) is { } key
            ? (key, text)
            : KeyAndRest(arguments, usage);
    }

    /// <summary>As <see cref="KeyOnly"/>, the key left out in a ticket's thread (<see cref="KeyAndRestAsync"/>).</summary>
    public static async Task<string> KeyOnlyAsync(Turn turn, QueueDesk desk, string arguments, string usage, CancellationToken cancellationToken)
    {
        var (key, rest) = await KeyAndRestAsync(turn, desk, arguments, usage, cancellationToken);
        return rest.Length == 0 ? key : throw new UsageException($"'{rest}' was not expected after {key}.", usage);
    }
}
