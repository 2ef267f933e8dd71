using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Connectors;

/// <summary>Group memberships in <c>dir_groups</c> (a document per group) and resets in <c>dir_password_resets</c>, in the LiteDB file.</summary>
public sealed class LiteDbEmbeddedDirectoryStore : IEmbeddedDirectoryStore
{
    private const string Groups = "dir_groups";
    private const string Resets = "dir_password_resets";
    private readonly LiteDbStore _store;

    public LiteDbEmbeddedDirectoryStore(LiteDbStore store)
    {
        _store = store;
        store.EnsureCollections(Groups, Resets);
    }

    public Task RecordResetOnceAsync(string id, string userId, DateTimeOffset at) => _store.WriteAsync(db =>
    {
        var col = db.GetCollection(Resets);
        if (col.FindById(id) is null)
        {
            col.Insert(new BsonDocument { ["_id"] = id, ["user"] = userId, ["at"] = at.ToUnixTimeMilliseconds() });
        }

        return true;
    });

    public int ResetCount(string userId) => _store.Database.GetCollection(Resets).Count(BsonExpression.Create("$.user = @0", userId));

    public Task AddMemberAsync(string group, string userId) => _store.WriteAsync(db =>
    {
        var col = db.GetCollection(Groups);
        var doc = col.FindById(group) ?? new BsonDocument { ["_id"] = group, ["members"] = new BsonArray() };
        var members = doc["members"].AsArray;
        if (!members.Any(m => m.AsString == userId))
        {
            members.Add(userId);
        }

        col.Upsert(doc);
        return true;
    });

    public Task RemoveMemberAsync(string group, string userId) => _store.WriteAsync(db =>
    {
        var col = db.GetCollection(Groups);
        if (col.FindById(group) is { } doc)
        {
            doc["members"] = new BsonArray(doc["members"].AsArray.Where(m => m.AsString != userId));
            col.Upsert(doc);
        }

        return true;
    });

    public Task<bool> IsMemberAsync(string group, string userId) =>
        Task.FromResult(_store.Database.GetCollection(Groups).FindById(group) is { } doc && doc["members"].AsArray.Any(m => m.AsString == userId));

    public IReadOnlyList<string> Members(string group) =>
        _store.Database.GetCollection(Groups).FindById(group) is { } doc ? [.. doc["members"].AsArray.Select(m => m.AsString)] : [];
}
