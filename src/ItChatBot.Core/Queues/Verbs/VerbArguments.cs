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
}
