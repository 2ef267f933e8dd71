using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// The default connector: people and managers from the embedded directory, group memberships in
/// <c>dir_groups</c>, password resets recorded in <c>dir_password_resets</c> (keyed by the idempotency key,
/// so a retried reset issues no second link).
/// </summary>
public sealed class EmbeddedDirectoryConnector(IDirectory directory, LiteDbStore store, TimeProvider clock) : IDirectoryConnector
{
    private const string Groups = "dir_groups";
    private const string Resets = "dir_password_resets";

    public string Name => "embedded";

    public async Task<DirectoryUser?> FindUserAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var person = await directory.FindAsync(idOrEmail, cancellationToken)
            ?? (idOrEmail.Contains('@', StringComparison.Ordinal) ? await directory.FindByEmailAsync(idOrEmail, cancellationToken) : null);
        return person is null ? null : new DirectoryUser(person.Id, person.Email, person.DisplayName, person.ManagerId);
    }

    public async Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken = default) =>
        (await FindUserAsync(userId, cancellationToken))?.ManagerId is { } manager ? await FindUserAsync(manager, cancellationToken) : null;

    public async Task<PasswordReset> ResetPasswordAsync(string userId, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(userId, cancellationToken) ?? throw new InvalidOperationException($"No user {userId}.");
        var id = idempotencyKey ?? NewId.Next();
        await store.WriteAsync(db =>
        {
            var col = db.GetCollection(Resets);
            if (col.FindById(id) is null)
            {
                col.Insert(new BsonDocument { ["_id"] = id, ["user"] = user.Id, ["at"] = clock.GetUtcNow().ToUnixTimeMilliseconds() });
            }

            return true;
        });
        return new PasswordReset($"A one-time reset link was sent to {user.Email}; it works for one hour.", MustChangeAtNextLogin: true);
    }

    /// <summary>How many distinct resets were issued for a user (each idempotency key counts once).</summary>
    public int ResetCount(string userId) => store.Database.GetCollection(Resets).Count(BsonExpression.Create("$.user = @0", userId));

    public Task AddToGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        store.WriteAsync(db =>
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

    public Task RemoveFromGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        store.WriteAsync(db =>
        {
            var col = db.GetCollection(Groups);
            if (col.FindById(group) is { } doc)
            {
                var kept = new BsonArray(doc["members"].AsArray.Where(m => m.AsString != userId));
                doc["members"] = kept;
                col.Upsert(doc);
            }

            return true;
        });

    public Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Database.GetCollection(Groups).FindById(group) is { } doc && doc["members"].AsArray.Any(m => m.AsString == userId));

    public IReadOnlyList<string> Members(string group) =>
        store.Database.GetCollection(Groups).FindById(group) is { } doc ? [.. doc["members"].AsArray.Select(m => m.AsString)] : [];
}
