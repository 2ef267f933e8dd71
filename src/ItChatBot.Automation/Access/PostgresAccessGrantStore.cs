using System.Text.Json;
using ItChatBot.Automation.Postgres;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Automation.Access;

/// <summary>
/// Grants in PostgreSQL (table <c>access_grants</c>), shared by several instances, each running its own revocation pass.
/// </summary>
/// <remarks>
/// A grant is revoked by one instance: the revocation is claimed (<see cref="ClaimRevocationAsync"/>) by writing the
/// instance's id in <c>revoker</c> under the row's lock, only while the grant is active and nobody else holds it, then
/// released after its outcome is saved. A second instance's pass finds the grant claimed or already revoked and leaves it.
/// A claim whose instance stopped (<see cref="PostgresInstance.IsAliveAsync"/>) is taken over with a compare-and-set on the
/// dead id, so the revocation it left half done is finished once. The revocation event's id is per grant, so even a
/// takeover after the event was written does not record it twice.
/// </remarks>
public sealed class PostgresAccessGrantStore(PostgresDatabase db, PostgresInstance instance) : IAccessGrantStore
{
    public Task<AccessGrant> AddOnceAsync(AccessGrant grant) => db.WriteAsync(async (c, tx) =>
    {
        grant = Normalised(grant);
        if (await PostgresDatabase.Execute(c, tx,
                """
                insert into access_grants (id, state, user_id, grp, granted_at, expires_at, json) values (@id, @state, @user, @grp, @granted, @expires, @json)
                on conflict (id) do nothing
                """,
                CancellationToken.None, Parameters(grant)) == 1)
        {
            return grant;
        }

        return (await Pg.QueryAsync(c, tx, "select json from access_grants where id = @id", Read, CancellationToken.None, ("id", grant.Id))).Single();
    });

    public Task SaveAsync(AccessGrant grant) => db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
        """
        insert into access_grants (id, state, user_id, grp, granted_at, expires_at, json) values (@id, @state, @user, @grp, @granted, @expires, @json)
        on conflict (id) do update set state = excluded.state, user_id = excluded.user_id, grp = excluded.grp,
            granted_at = excluded.granted_at, expires_at = excluded.expires_at, json = excluded.json
        """,
        CancellationToken.None, Parameters(Normalised(grant))));

    public async Task<AccessGrant?> GetAsync(string id) =>
        (await ReadAsync("select json from access_grants where id = @id", ("id", id))).SingleOrDefault();

    public Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now) =>
        ReadAsync("select json from access_grants where state = 'Active' and expires_at <= @now order by expires_at, id", ("now", Rows.Ms(now)));

    public Task<IReadOnlyList<AccessGrant>> ActiveLaterAsync(string userId, string group, DateTimeOffset now) =>
        ReadAsync("select json from access_grants where state = 'Active' and user_id = @user and grp = @grp and expires_at > @now order by expires_at desc, id",
            ("user", userId), ("grp", group), ("now", Rows.Ms(now)));

    public Task<IReadOnlyList<AccessGrant>> ActiveOnAsync(string userId, string group) =>
        ReadAsync("select json from access_grants where state = 'Active' and user_id = @user and grp = @grp order by granted_at, id", ("user", userId), ("grp", group));

    public async Task<IReadOnlyList<AccessGrant>> OverdueAsync(DateTimeOffset now, TimeSpan grace) =>
        [.. (await DueAsync(now - grace)).Where(g => g.IsOverdue(now, grace))];

    public Task<IReadOnlyList<AccessGrant>> AllAsync() => ReadAsync("select json from access_grants order by granted_at, id");

    public async Task<AccessGrant?> ClaimRevocationAsync(string id, CancellationToken cancellationToken = default)
    {
        // Our own presence first: the claim names this instance, and others must see it alive while it revokes.
        await instance.StartAsync(cancellationToken);
        while (true)
        {
            var (grant, holder) = await db.WriteAsync<(AccessGrant?, string?)>(async (c, tx) =>
            {
                var rows = await Pg.QueryAsync(c, tx, "select revoker, state from access_grants where id = @id for update",
                    r => (Revoker: Pg.NullableString(r, 0), State: r.GetString(1)), cancellationToken, ("id", id));
                if (rows.Count == 0 || rows[0].State != nameof(AccessGrantState.Active))
                {
                    return (null, null);
                }

                if (rows[0].Revoker is { } other && other != instance.Id)
                {
                    return (null, other);
                }

                var claimed = await Pg.QueryAsync(c, tx, "update access_grants set revoker = @me where id = @id returning json", Read, cancellationToken, ("id", id), ("me", instance.Id));
                return (claimed.Single(), null);
            }, cancellationToken);
            if (holder is null || await instance.IsAliveAsync(holder, cancellationToken))
            {
                return grant;
            }

            // The revoking instance stopped: take the claim over unless another instance did first, then look again.
            await db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, "update access_grants set revoker = null where id = @id and revoker = @dead",
                cancellationToken, ("id", id), ("dead", holder)), cancellationToken);
        }
    }

    public Task ReleaseRevocationAsync(string id, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, "update access_grants set revoker = null where id = @id and revoker = @me",
            cancellationToken, ("id", id), ("me", instance.Id)), cancellationToken);

    private static AccessGrant Normalised(AccessGrant g) => g with
    {
        GrantedAt = Rows.Ms(g.GrantedAt),
        ExpiresAt = Rows.Ms(g.ExpiresAt),
        RevokedAt = g.RevokedAt is { } r ? Rows.Ms(r) : null,
    };

    private static (string Name, object? Value)[] Parameters(AccessGrant g) =>
    [
        ("id", g.Id), ("state", g.State.ToString()), ("user", g.UserId), ("grp", g.Group),
        ("granted", g.GrantedAt), ("expires", g.ExpiresAt), ("json", JsonSerializer.Serialize(g, Rows.Json)),
    ];

    private async Task<IReadOnlyList<AccessGrant>> ReadAsync(string sql, params (string Name, object? Value)[] parameters) =>
        await db.ReadAsync(c => Pg.QueryAsync(c, null, sql, Read, CancellationToken.None, parameters));

    private static AccessGrant Read(NpgsqlDataReader reader) => JsonSerializer.Deserialize<AccessGrant>(reader.GetString(0), Rows.Json)!;
}
