using ItChatBot.Core.Conversations;
using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// A request the bot asked a question about (a knowledge-base offer, "did you mean", "which application") before
/// opening a ticket. Buttons carry its id; it is used once, so a second press changes nothing.
/// </summary>
public sealed record PendingRequest(string Id, string Person, string Text, ConversationRef Origin, string? Article, string? Workflow, DateTimeOffset CreatedAt, bool Used = false);

/// <summary>Pending requests in the store's LiteDB file (collection <c>automation_pending</c>).</summary>
public sealed class PendingRequestStore : IPendingRequestStore
{
    private const string Collection = "automation_pending";
    private readonly LiteDbStore _store;

    public PendingRequestStore(LiteDbStore store)
    {
        // Created here, before anything can read it (see LiteDbStore.EnsureCollections).
        _store = store;
        store.Database.GetCollection(Collection).EnsureIndex("thread", "$.thread");
    }

    public Task AddAsync(PendingRequest request) => _store.WriteAsync(db => db.GetCollection(Collection).Insert(ToDoc(request)));

    public Task<PendingRequest?> GetAsync(string id) =>
        Task.FromResult(_store.Database.GetCollection(Collection).FindById(id) is { } doc ? FromDoc(doc) : null);

    public Task<PendingRequest?> OpenOfferInAsync(ConversationRef thread, string person, string delivery)
    {
        if (thread.ThreadId is null)
        {
            return Task.FromResult<PendingRequest?>(null);
        }

        return Task.FromResult(_store.Database.GetCollection(Collection).Find(Query.EQ("thread", thread.ThreadId))
            .Where(d => !d["used"].AsBoolean || (d["usedBy"].IsString && d["usedBy"].AsString == delivery))
            .Select(FromDoc)
            .Where(r => r.Article is not null && r.Person == person && r.Origin == thread)
            .MaxBy(r => r.CreatedAt));
    }

    public Task<bool> TryUseAsync(string id, string delivery) => _store.WriteAsync(db =>
    {
        var col = db.GetCollection(Collection);
        var doc = col.FindById(id);
        if (doc is null)
        {
            return false;
        }

        if (doc["used"].AsBoolean)
        {
            return doc["usedBy"].IsString && doc["usedBy"].AsString == delivery;
        }

        doc["used"] = true;
        doc["usedBy"] = delivery;
        col.Update(doc);
        return true;
    });

    private static BsonDocument ToDoc(PendingRequest r) => new()
    {
        ["_id"] = r.Id,
        ["person"] = r.Person,
        ["text"] = r.Text,
        ["channel"] = r.Origin.Channel,
        ["conv"] = r.Origin.ConversationId,
        ["thread"] = r.Origin.ThreadId is null ? BsonValue.Null : r.Origin.ThreadId,
        ["article"] = r.Article is null ? BsonValue.Null : r.Article,
        ["workflow"] = r.Workflow is null ? BsonValue.Null : r.Workflow,
        ["created"] = r.CreatedAt.ToUnixTimeMilliseconds(),
        ["used"] = r.Used,
    };

    private static PendingRequest FromDoc(BsonDocument d) => new(
        d["_id"].AsString,
        d["person"].AsString,
        d["text"].AsString,
        new ConversationRef(d["channel"].AsString, d["conv"].AsString, d["thread"].IsNull ? null : d["thread"].AsString),
        d["article"].IsNull ? null : d["article"].AsString,
        d["workflow"].IsNull ? null : d["workflow"].AsString,
        DateTimeOffset.FromUnixTimeMilliseconds(d["created"].AsInt64),
        d["used"].AsBoolean);
}
