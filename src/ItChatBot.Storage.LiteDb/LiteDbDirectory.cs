using ItChatBot.Core.Directory;
using LiteDB;

namespace ItChatBot.Storage.LiteDb;

/// <summary>The embedded directory: people and their platform ids, in the store's file.</summary>
public sealed class LiteDbDirectory : IDirectory
{
    private const string People = "people";
    private const string PlatformIds = "person_platform_ids";
    private readonly LiteDbStore _store;
    private readonly BsonMapper _mapper = new();

    public LiteDbDirectory(LiteDbStore store)
    {
        _store = store;
        _mapper.Entity<Person>().Id(p => p.Id, autoId: false);
        store.Database.GetCollection(People).EnsureIndex("email", "LOWER($.Email)");
        store.EnsureCollections(PlatformIds);
    }

    public Task<Person?> FindAsync(string personId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_store.Database.GetCollection(People).FindById(personId) is { } doc ? _mapper.ToObject<Person>(doc) : null);

    public async Task<Person?> FindByPlatformIdAsync(string channel, string platformUserId, CancellationToken cancellationToken = default) =>
        _store.Database.GetCollection(PlatformIds).FindById($"{channel}:{platformUserId}") is { } link
            ? await FindAsync(link["person"].AsString, cancellationToken)
            : null;

    public Task<Person?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        Task.FromResult(_store.Database.GetCollection(People).FindOne("LOWER($.Email) = @0", email.ToLowerInvariant()) is { } doc
            ? _mapper.ToObject<Person>(doc)
            : null);

    public Task<IReadOnlyList<Person>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Person> people = [.. _store.Database.GetCollection(People).FindAll().Select(_mapper.ToObject<Person>).OrderBy(p => p.DisplayName, StringComparer.Ordinal)];
        return Task.FromResult(people);
    }

    public Task UpsertAsync(Person person, CancellationToken cancellationToken = default)
    {
        var doc = _mapper.ToDocument(person);
        return _store.WriteAsync(db =>
        {
            db.GetCollection(People).Upsert(doc);
            var links = db.GetCollection(PlatformIds);
            foreach (var (channel, id) in person.PlatformIds)
            {
                links.Upsert(new BsonDocument { ["_id"] = $"{channel}:{id}", ["person"] = person.Id });
            }

            return true;
        });
    }
}
