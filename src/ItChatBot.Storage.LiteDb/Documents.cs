using JsonSerializer = System.Text.Json.JsonSerializer;
using JsonSerializerDefaults = System.Text.Json.JsonSerializerDefaults;
using JsonSerializerOptions = System.Text.Json.JsonSerializerOptions;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using LiteDB;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// Hand-written mapping between domain types and documents: times as UTC milliseconds (LiteDB would
/// otherwise read dates back as local time and drop a DateTimeOffset's offset), short field names.
/// </summary>
internal static class Documents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(BsonValue ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms.AsInt64);

    public static DateTimeOffset? OptionalAt(BsonValue ms) => ms.IsNull ? null : At(ms);

    /// <remarks>
    /// The data goes in as <c>[key, value]</c> pairs, not as a sub-document: LiteDB's document keys ignore case, so an
    /// imported event carrying both <c>category</c> and <c>Category</c> kept one value under the first spelling, and the
    /// event read back (a rebuild, the KPI index) lost its category. Same choice as the audit log's entries.
    /// </remarks>
    public static BsonDocument FromEvent(TicketEvent e)
    {
        return new BsonDocument
        {
            ["eid"] = e.Id,
            ["t"] = e.Ticket is null ? BsonValue.Null : new BsonValue(e.Ticket),
            ["ty"] = e.Type.ToString(),
            ["at"] = Ms(e.At),
            ["a"] = e.Actor,
            ["ak"] = e.ActorKind.ToString(),
            ["d"] = FromData(e.Data),
        };
    }

    /// <summary>
    /// String data (an event's, an audit entry's) as <c>[key, value]</c> pairs, which keep keys that differ only in case
    /// apart (see <see cref="FromEvent"/>).
    /// </summary>
    public static BsonArray FromData(IEnumerable<KeyValuePair<string, string>> data)
    {
        var pairs = new BsonArray();
        foreach (var (key, value) in data)
        {
            pairs.Add(new BsonArray { key, value });
        }

        return pairs;
    }

    /// <summary>Data written by <see cref="FromData"/>, or as a sub-document by the versions before it.</summary>
    public static Dictionary<string, string> ToData(BsonValue stored)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stored.IsArray)
        {
            foreach (var pair in stored.AsArray)
            {
                data[pair[0].AsString] = pair[1].AsString;
            }
        }
        else
        {
            foreach (var (key, value) in stored.AsDocument)
            {
                data[key] = value.AsString;
            }
        }

        return data;
    }

    public static TicketEvent ToEvent(BsonDocument doc)
    {
        var data = ToData(doc["d"]);
        return new TicketEvent
        {
            Id = doc["eid"].AsString,
            Seq = doc["_id"].AsInt64,
            Ticket = doc["t"].IsNull ? null : doc["t"].AsString,
            Type = Enum.Parse<EventType>(doc["ty"].AsString),
            At = At(doc["at"]),
            Actor = doc["a"].AsString,
            ActorKind = Enum.Parse<ActorKind>(doc["ak"].AsString),
            Data = data,
        };
    }

    public static BsonDocument FromTicket(Ticket t) => new()
    {
        ["_id"] = t.Key,
        ["team"] = t.Team,
        ["category"] = t.Category,
        ["priority"] = t.Priority,
        ["requester"] = t.Requester,
        ["channel"] = t.Channel,
        ["conversation"] = t.Conversation,
        ["thread"] = t.Thread,
        ["subject"] = t.Subject,
        ["assignee"] = t.Assignee,
        ["tier"] = t.Tier,
        ["status"] = t.Status.ToString(),
        ["open"] = t.IsOpen,
        ["createdAt"] = Ms(t.CreatedAt),
        ["updatedAt"] = Ms(t.UpdatedAt),
        ["firstResponseAt"] = t.FirstResponseAt is { } f ? Ms(f) : BsonValue.Null,
        ["resolvedAt"] = t.ResolvedAt is { } r ? Ms(r) : BsonValue.Null,
        ["reopens"] = t.ReopenCount,
        ["escalations"] = t.EscalationCount,
        ["events"] = t.EventCount,
        ["lastSeq"] = t.LastSeq,
    };

    public static Ticket ToTicket(BsonDocument d) => new()
    {
        Key = d["_id"].AsString,
        Team = d["team"].AsString,
        Category = d["category"].AsString,
        Priority = d["priority"].AsString,
        Requester = d["requester"].AsString,
        Channel = d["channel"].AsString,
        Conversation = d["conversation"].IsNull ? null : d["conversation"].AsString,
        Thread = d["thread"].IsNull ? null : d["thread"].AsString,
        Subject = d["subject"].AsString,
        Assignee = d["assignee"].IsNull ? null : d["assignee"].AsString,
        Tier = d["tier"].AsString,
        Status = Enum.Parse<TicketStatus>(d["status"].AsString),
        CreatedAt = At(d["createdAt"]),
        UpdatedAt = At(d["updatedAt"]),
        FirstResponseAt = OptionalAt(d["firstResponseAt"]),
        ResolvedAt = OptionalAt(d["resolvedAt"]),
        ReopenCount = d["reopens"].AsInt32,
        EscalationCount = d["escalations"].AsInt32,
        EventCount = d["events"].AsInt32,
        LastSeq = d["lastSeq"].AsInt64,
    };

    public static BsonDocument FromOutbound(OutboundMessage m) => new()
    {
        ["mid"] = m.Id,
        ["conv"] = ConversationKey(m.Conversation.Channel, m.Conversation.ConversationId),
        ["channel"] = m.Conversation.Channel,
        ["state"] = nameof(Core.Storage.OutboxState.Pending),
        ["attempts"] = 0,
        ["next"] = Ms(m.CreatedAt),
        ["platformId"] = BsonValue.Null,
        ["error"] = BsonValue.Null,
        ["json"] = JsonSerializer.Serialize(m, Json),
    };

    public static Core.Storage.OutboxEntry ToOutbox(BsonDocument d) => new(
        d["_id"].AsInt64,
        JsonSerializer.Deserialize<OutboundMessage>(d["json"].AsString, Json)!,
        Enum.Parse<Core.Storage.OutboxState>(d["state"].AsString),
        d["attempts"].AsInt32,
        At(d["next"]),
        d["platformId"].IsNull ? null : d["platformId"].AsString,
        d["error"].IsNull ? null : d["error"].AsString);

    public static string ConversationKey(string channel, string conversationId) => $"{channel}|{conversationId}";

    public static string ThreadKey(ConversationRef thread) => $"{thread.Channel}|{thread.ConversationId}|{thread.ThreadId}";

    /// <summary>A delivery's link beside the thread links: no channel name holds '|', so it cannot meet a thread's key.</summary>
    public static string DeliveryKey(string platformId) => $"|delivery|{platformId}";
}
