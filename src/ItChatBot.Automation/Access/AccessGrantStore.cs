using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Access;

/// <summary>Grants in the store's LiteDB file (collection <c>access_grants</c>), indexed by state and expiry for the revocation service.</summary>
public sealed class AccessGrantStore : IAccessGrantStore
{
    private const string Collection = "access_grants";
    private readonly LiteDbStore _store;

    public AccessGrantStore(LiteDbStore store)
    {
        _store = store;
        store.Database.GetCollection(Collection).EnsureIndex("state", "$.state");
        store.Database.GetCollection(Collection).EnsureIndex("expires", "$.expires");
    }

    /// <summary>Inserts the grant unless one with its id exists; returns the stored grant either way.</summary>
    public Task<AccessGrant> AddOnceAsync(AccessGrant grant) => _store.WriteAsync(db =>
    {
        var col = db.GetCollection(Collection);
        if (col.FindById(grant.Id) is { } existing)
        {
            return FromDoc(existing);
        }

        col.Insert(ToDoc(grant));
        return grant;
    });

    public Task SaveAsync(AccessGrant grant) => _store.WriteAsync(db => db.GetCollection(Collection).Upsert(ToDoc(grant)));

    public Task<AccessGrant?> GetAsync(string id) =>
        Task.FromResult(_store.Database.GetCollection(Collection).FindById(id) is { } doc ? FromDoc(doc) : null);

    /// <summary>Active grants whose expiry is at or before <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now)
    {
        IReadOnlyList<AccessGrant> due = [.. _store.Database.GetCollection(Collection)
            .Find(BsonExpression.Create("$.state = @0 AND $.expires <= @1", nameof(AccessGrantState.Active), now.ToUnixTimeMilliseconds()))
            .Select(FromDoc)
            .OrderBy(g => g.ExpiresAt)];
        return Task.FromResult(due);
    }

    /// <summary>
    /// Active grants of <paramref name="userId"/> on <paramref name="group"/> that run past <paramref name="now"/>: while one
    /// exists, ending another grant on the same group must leave the membership in place.
    /// </summary>
    public Task<IReadOnlyList<AccessGrant>> ActiveLaterAsync(string userId, string group, DateTimeOffset now)
    {
        IReadOnlyList<AccessGrant> later = [.. _store.Database.GetCollection(Collection)
            .Find(BsonExpression.Create("$.state = @0 AND $.user = @1 AND $.group = @2 AND $.expires > @3", nameof(AccessGrantState.Active), userId, group, now.ToUnixTimeMilliseconds()))
            .Select(FromDoc)
            .OrderByDescending(g => g.ExpiresAt)];
        return Task.FromResult(later);
    }

    /// <summary>Active grants of <paramref name="userId"/> on <paramref name="group"/>, expired or not: a membership they hold is ours, not standing.</summary>
    public Task<IReadOnlyList<AccessGrant>> ActiveOnAsync(string userId, string group)
    {
        IReadOnlyList<AccessGrant> active = [.. _store.Database.GetCollection(Collection)
            .Find(BsonExpression.Create("$.state = @0 AND $.user = @1 AND $.group = @2", nameof(AccessGrantState.Active), userId, group))
            .Select(FromDoc)];
        return Task.FromResult(active);
    }

    /// <summary>Grants past their expiry plus <paramref name="grace"/> and still not revoked: revocations that are late.</summary>
    public async Task<IReadOnlyList<AccessGrant>> OverdueAsync(DateTimeOffset now, TimeSpan grace) =>
        [.. (await DueAsync(now - grace)).Where(g => g.IsOverdue(now, grace))];

    public Task<IReadOnlyList<AccessGrant>> AllAsync()
    {
        IReadOnlyList<AccessGrant> all = [.. _store.Database.GetCollection(Collection).FindAll().Select(FromDoc).OrderBy(g => g.GrantedAt)];
        return Task.FromResult(all);
    }

    /// <summary>
    /// The grant while it is active. The file has one process and its revocation passes do not overlap (one scheduler), so
    /// there is nobody to claim against; the PostgreSQL store claims across instances (<see cref="PostgresAccessGrantStore"/>).
    /// </summary>
    public async Task<AccessGrant?> ClaimRevocationAsync(string id, CancellationToken cancellationToken = default) =>
        await GetAsync(id) is { State: AccessGrantState.Active } grant ? grant : null;

    public Task ReleaseRevocationAsync(string id, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static BsonDocument ToDoc(AccessGrant g) => new()
    {
        ["_id"] = g.Id,
        ["ticket"] = g.Ticket,
        ["run"] = g.RunId,
        ["person"] = g.Person,
        ["user"] = g.UserId,
        ["resource"] = g.Resource,
        ["role"] = g.Role,
        ["group"] = g.Group,
        ["granted"] = g.GrantedAt.ToUnixTimeMilliseconds(),
        ["expires"] = g.ExpiresAt.ToUnixTimeMilliseconds(),
        ["approvedBy"] = g.ApprovedBy is null ? BsonValue.Null : g.ApprovedBy,
        ["alreadyMember"] = g.AlreadyMember is { } member ? member : BsonValue.Null,
        ["state"] = g.State.ToString(),
        ["revoked"] = g.RevokedAt is { } r ? r.ToUnixTimeMilliseconds() : BsonValue.Null,
        ["attempts"] = g.RevokeAttempts,
        ["error"] = g.LastError is null ? BsonValue.Null : g.LastError,
    };

    private static AccessGrant FromDoc(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        Ticket = d["ticket"].AsString,
        RunId = d["run"].AsString,
        Person = d["person"].AsString,
        UserId = d["user"].AsString,
        Resource = d["resource"].AsString,
        Role = d["role"].AsString,
        Group = d["group"].AsString,
        GrantedAt = DateTimeOffset.FromUnixTimeMilliseconds(d["granted"].AsInt64),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(d["expires"].AsInt64),
        ApprovedBy = d["approvedBy"].IsNull ? null : d["approvedBy"].AsString,
        // Grants stored before the flag existed have no such field: null, revoked as before.
        AlreadyMember = d.TryGetValue("alreadyMember", out var member) && !member.IsNull ? member.AsBoolean : null,
        State = Enum.Parse<AccessGrantState>(d["state"].AsString),
        RevokedAt = d["revoked"].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(d["revoked"].AsInt64),
        RevokeAttempts = d["attempts"].AsInt32,
        LastError = d["error"].IsNull ? null : d["error"].AsString,
    };
}
