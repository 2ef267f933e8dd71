using ItChatBot.Automation.Postgres;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// Group memberships (<c>dir_group_members</c>, a row per member, unique per group) and resets (<c>dir_password_resets</c>,
/// keyed by the idempotency key) in PostgreSQL: two instances adding the same member, or issuing the same reset, at once
/// store it once (<c>on conflict do nothing</c>).
/// </summary>
public sealed class PostgresEmbeddedDirectoryStore(PostgresDatabase db) : IEmbeddedDirectoryStore
{
    public Task RecordResetOnceAsync(string id, string userId, DateTimeOffset at) => db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
        "insert into dir_password_resets (id, user_id, at) values (@id, @user, @at) on conflict (id) do nothing",
        CancellationToken.None, ("id", id), ("user", userId), ("at", Rows.Ms(at))));

    public int ResetCount(string userId)
    {
        using var connection = db.DataSource.OpenConnection();
        return (int)Pg.Query(connection, null, "select count(*) from dir_password_resets where user_id = @user", r => r.GetInt64(0), ("user", userId))[0];
    }

    public Task AddMemberAsync(string group, string userId) => db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
        "insert into dir_group_members (grp, user_id) values (@grp, @user) on conflict (grp, user_id) do nothing",
        CancellationToken.None, ("grp", group), ("user", userId)));

    public Task RemoveMemberAsync(string group, string userId) => db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
        "delete from dir_group_members where grp = @grp and user_id = @user", CancellationToken.None, ("grp", group), ("user", userId)));

    public Task<bool> IsMemberAsync(string group, string userId) => db.ReadAsync(async c =>
        (await Pg.QueryAsync(c, null, "select 1 from dir_group_members where grp = @grp and user_id = @user", _ => 1, CancellationToken.None, ("grp", group), ("user", userId))).Count > 0);

    public IReadOnlyList<string> Members(string group)
    {
        using var connection = db.DataSource.OpenConnection();
        return Pg.Query(connection, null, "select user_id from dir_group_members where grp = @grp order by seq", r => r.GetString(0), ("grp", group));
    }
}
