using System.Text.Json;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>The PostgreSQL implementations on a fresh database, as one running instance; tampering is plain SQL.</summary>
public sealed class PostgresDeliveryStores : DeliveryStores
{
    private readonly PostgresTestDatabase _test;
    private readonly PostgresDatabase _db;
    private readonly PostgresInstance _instance;

    private PostgresDeliveryStores(PostgresTestDatabase test, PostgresDatabase db, PostgresInstance instance)
    {
        (_test, _db, _instance) = (test, db, instance);
        Inbox = new PostgresInbox(db, instance);
        Outbox = new PostgresOutbox(db);
        Audit = new PostgresAuditLog(db);
        Directory = new PostgresDirectory(db);
    }

    public static async Task<PostgresDeliveryStores> CreateAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();
        var instance = new PostgresInstance(db, "one");
        await instance.StartAsync();
        return new PostgresDeliveryStores(test, db, instance);
    }

    public override IInbox Inbox { get; }

    public override IOutbox Outbox { get; }

    public override IAuditLog Audit { get; }

    public override IDirectory Directory { get; }

    public override async Task ChangeActorAsync(long seq, string actor, bool rehash)
    {
        await SqlAsync("update audit set actor = @actor where pos = @a", ("a", seq), ("actor", actor));
        if (rehash)
        {
            var entry = await _db.ReadAsync(async c =>
            {
                await using var cmd = new NpgsqlCommand("select seq, id, at, actor, action, subject, data, prev, hash from audit where pos = @a", c);
                cmd.Parameters.AddWithValue("a", seq);
                await using var r = await cmd.ExecuteReaderAsync();
                await r.ReadAsync();
                return new AuditEntry
                {
                    Seq = r.GetInt64(0), Id = r.GetString(1), At = r.GetFieldValue<DateTimeOffset>(2), Actor = r.GetString(3), Action = r.GetString(4),
                    Subject = r.GetString(5), Data = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(6))!, PrevHash = r.GetString(7), Hash = r.GetString(8),
                };
            });
            await SqlAsync("update audit set hash = @hash where pos = @a", ("a", seq), ("hash", AuditChain.ComputeHash(entry)));
        }
    }

    public override Task DeleteAsync(long seq) => SqlAsync("delete from audit where pos = @a", ("a", seq));

    // Through negative positions: the primary key is checked row by row, so a swap in one statement would collide.
    public override Task SwapPlacesAsync(long a, long b) =>
        SqlAsync(
            ["update audit set pos = -pos where pos in (@a, @b)", "update audit set pos = case pos when -@a then @b else @a end where pos in (-@a, -@b)"],
            ("a", a), ("b", b));

    public override Task SwapContentAsync(long a, long b) =>
        SqlAsync(
            ["update audit set pos = -pos where pos in (@a, @b)", "update audit set pos = case pos when -@a then @b else @a end, seq = case seq when @a then @b else @a end where pos in (-@a, -@b)"],
            ("a", a), ("b", b));

    private Task SqlAsync(string sql, params (string Name, object? Value)[] parameters) => SqlAsync([sql], parameters);

    private Task SqlAsync(string[] statements, params (string Name, object? Value)[] parameters) =>
        _db.WriteAsync(async (c, tx) =>
        {
            foreach (var sql in statements)
            {
                await PostgresDatabase.Execute(c, tx, sql, CancellationToken.None, parameters);
            }

            return statements.Length;
        });

    public override async ValueTask DisposeAsync()
    {
        await _instance.DisposeAsync();
        await _db.DisposeAsync();
        await _test.DisposeAsync();
    }
}
