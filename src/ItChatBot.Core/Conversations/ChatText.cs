using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// What the router does to the text of every inbound, whichever channel built it, before any handler sees it: the NUL
/// character (U+0000) is taken out of the message or command text and of a card action's id, value and inputs, and the
/// rest of the text is kept. A NUL never means anything in chat, and PostgreSQL refuses it in a <c>text</c> column where
/// the LiteDB file keeps it (see <see cref="NulCharacter"/>): a Slack, Teams or web chat JSON can carry <c>"\u0000"</c>,
/// and left in, it became a ticket subject that one store kept and the other failed on. Ids (platform, user,
/// conversation) are the platform's own and are left as they are; the raw envelope in the inbox is not touched.
/// </summary>
public static class ChatText
{
    /// <summary>The inbound with its text cleaned; the same instance when there was nothing to clean.</summary>
    public static Inbound Normalise(Inbound inbound) => inbound switch
    {
        InboundMessage message when NulCharacter.In(message.Text) => message with { Text = Clean(message.Text) },
        InboundCommand command when NulCharacter.In(command.Name) || NulCharacter.In(command.Text) =>
            command with { Name = Clean(command.Name), Text = Clean(command.Text) },
        CardAction action when NulCharacter.In(action.ActionId) || NulCharacter.In(action.Value)
            || action.Inputs.Any(i => NulCharacter.In(i.Key) || NulCharacter.In(i.Value)) => action with
            {
                ActionId = NulCharacter.Remove(action.ActionId),
                Value = NulCharacter.Remove(action.Value),
                Inputs = Clean(action.Inputs),
            },
        _ => inbound,
    };

    /// <summary>Trimmed again: the adapters trim the text they build, and a NUL at an end hid the space beside it.</summary>
    private static string Clean(string text) => NulCharacter.Remove(text).Trim();

    /// <summary>Two input ids that differ only by a NUL become one; the later input wins, as a repeated id does in a form.</summary>
    private static Dictionary<string, string> Clean(IReadOnlyDictionary<string, string> inputs)
    {
        var clean = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in inputs)
        {
            clean[NulCharacter.Remove(key)] = NulCharacter.Remove(value);
        }

        return clean;
    }
}
