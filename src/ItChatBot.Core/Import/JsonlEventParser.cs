using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Import;

/// <summary>
/// Reads one line of a JSONL history (DESIGN §6) into a <see cref="TicketEvent"/>. The event id is a hash of
/// the line's meaning (not its spelling), so importing the same history twice appends nothing the second time.
/// A line with the NUL character (U+0000) in any name or string is rejected naming that field: the PostgreSQL store cannot
/// keep it and the LiteDB store can, so it is refused here, where both stores agree (see <see cref="NulCharacter"/>).
/// </summary>
public static class JsonlEventParser
{
    private static readonly HashSet<string> Common = ["ticket", "type", "at", "actor", "actorKind"];

    public static TicketEvent Parse(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message.Split('.')[0]})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a line must be one JSON object");
            }

            RefuseNul(root);

            var typeText = RequiredString(root, "type");
            if (!Enum.TryParse<EventType>(typeText, ignoreCase: false, out var type) || int.TryParse(typeText, out _))
            {
                throw new FormatException($"unknown type '{typeText}'");
            }

            var atText = RequiredString(root, "at");
            if (!Iso8601.TryParse(atText, out var at))
            {
                throw new FormatException($"'at' is not an ISO 8601 time: '{atText}'");
            }

            var actor = RequiredString(root, "actor");
            var kindText = RequiredString(root, "actorKind");
            if (!Enum.TryParse<ActorKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
            {
                throw new FormatException($"unknown actorKind '{kindText}'; use requester, agent, approver, automation or system");
            }

            string? ticket = null;
            if (root.TryGetProperty("ticket", out var ticketElement) && ticketElement.ValueKind != JsonValueKind.Null)
            {
                ticket = ticketElement.ValueKind == JsonValueKind.String ? ticketElement.GetString() : throw new FormatException("'ticket' must be a string or null");
                if (!TicketKey.TryParse(ticket, out var key))
                {
                    throw new FormatException($"'{ticket}' is not a ticket key like IT-42");
                }

                ticket = key.ToString();
            }

            if (ticket is null && type != EventType.Deflected)
            {
                throw new FormatException($"a {type} event needs a ticket");
            }

            var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (Common.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                data[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw new FormatException($"'{property.Name}' must be a string, number or boolean"),
                };
            }

            var truncated = TicketEvent.Truncate(at);
            return TicketEvent.New(ticket, type, truncated, actor, kind, new Dictionary<string, string>(data), IdOf(ticket, type, truncated, actor, kind, data));
        }
    }

    /// <summary>Checked before anything else, so a NUL is named as such and not as, say, an unknown type.</summary>
    private static void RefuseNul(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (NulCharacter.In(property.Name))
            {
                throw new FormatException($"the field name '{NulCharacter.Visible(property.Name)}' contains {NulCharacter.Name}");
            }

            if (property.Value.ValueKind == JsonValueKind.String && NulCharacter.In(property.Value.GetString()))
            {
                throw new FormatException(NulCharacter.Reason(property.Name));
            }
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"'{name}' is missing or not a string");

    private static string IdOf(string? ticket, EventType type, DateTimeOffset at, string actor, ActorKind kind, SortedDictionary<string, string> data)
    {
        var canonical = new StringBuilder()
            .Append(ticket).Append('\u001f').Append(type).Append('\u001f')
            .Append(at.ToUnixTimeMilliseconds()).Append('\u001f').Append(actor).Append('\u001f').Append(kind);
        foreach (var (key, value) in data)
        {
            canonical.Append('\u001f').Append(key).Append('=').Append(value);
        }

        // The time comes first so that a history, which is mostly in time order, is stored in id order too: the log's
        // unique index on ids then grows at its end instead of at random places (the hash alone made every import
        // batch rewrite most of that index; see benchmarks/README.md). The hash keeps ids of equal times apart.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..24];
        return string.Create(CultureInfo.InvariantCulture, $"imp-{at.ToUnixTimeMilliseconds():x12}-{hash}");
    }
}
