using ItChatBot.Core.Kpi;
using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Host.Kpi;

/// <summary>Check-ins in the store's LiteDB file, written on its single writer thread.</summary>
public sealed class LiteDbCheckinStore : ICheckinStore
{
    private const string Collection = "kpi_checkins";
    private readonly LiteDbStore _store;

    public LiteDbCheckinStore(LiteDbStore store)
    {
        // Created here, before anything can read it (see LiteDbStore.EnsureCollections).
        _store = store;
        store.Database.GetCollection(Collection).EnsureIndex("tech", "$.tech");
    }

    public Task AddAsync(Checkin checkin, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db => db.GetCollection(Collection).Upsert(new BsonDocument
        {
            ["_id"] = checkin.Id,
            ["tech"] = checkin.Technician.ToLowerInvariant(),
            ["technician"] = checkin.Technician,
            ["lead"] = checkin.Lead,
            ["at"] = checkin.At.ToUnixTimeMilliseconds(),
            ["note"] = checkin.Note,
            ["snapshot"] = checkin.SnapshotJson,
        }));

    public Task<IReadOnlyList<Checkin>> ListAsync(string technician, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Checkin> list = [.. _store.Database.GetCollection(Collection)
            .Find(BsonExpression.Create("$.tech = @0", technician.ToLowerInvariant()))
            .Select(d => new Checkin(d["_id"].AsString, d["technician"].AsString, d["lead"].AsString,
                DateTimeOffset.FromUnixTimeMilliseconds(d["at"].AsInt64), d["note"].AsString, d["snapshot"].AsString))
            .OrderBy(c => c.At)];
        return Task.FromResult(list);
    }
}
