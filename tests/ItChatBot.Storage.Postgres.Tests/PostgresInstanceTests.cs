using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Storage.Postgres.Tests;

public sealed class PostgresInstanceTests
{
    [Fact]
    public async Task An_instance_is_alive_while_it_runs_and_not_after_it_stops()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        await using var watcher = new PostgresInstance(db, "watcher");
        var other = new PostgresInstance(db, "other");

        Assert.False(await watcher.IsAliveAsync("other"));
        await other.StartAsync();
        Assert.True(await watcher.IsAliveAsync("other"));
        Assert.True(await watcher.IsAliveAsync("other"), "asking must not take the other's presence");

        await other.DisposeAsync();
        Assert.False(await watcher.IsAliveAsync("other"));
        Assert.True(await watcher.IsAliveAsync("watcher"));
    }

    [Fact]
    public async Task One_instance_leads_a_role_until_it_stops_then_another_takes_it()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        var first = new PostgresInstance(db, "first");
        await using var second = new PostgresInstance(db, "second");

        Assert.True(await first.TryLeadAsync("outbox"));
        Assert.True(await first.TryLeadAsync("outbox"));
        Assert.False(await second.TryLeadAsync("outbox"));
        Assert.True(await second.TryLeadAsync("sla"), "roles are held one by one");

        await first.DisposeAsync();
        Assert.True(await second.TryLeadAsync("outbox"));
    }

    [Fact]
    public async Task An_instance_whose_connection_was_cut_loses_its_roles_and_asks_again()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        // Asks whether its session stands on every call (by default at most once a second).
        await using var first = new PostgresInstance(db, "first", recheckAfter: TimeSpan.Zero);
        await using var second = new PostgresInstance(db, "second");
        Assert.True(await first.TryLeadAsync("outbox"));

        // The server ends the first instance's session, as a failover or a network cut would.
        await db.ReadAsync(async c =>
        {
            await using var kill = new NpgsqlCommand(
                "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = (@key & 4294967295)::oid and granted", c);
            kill.Parameters.AddWithValue("key", PostgresDatabase.KeyOf("lead:outbox"));
            return await kill.ExecuteScalarAsync();
        });

        Assert.True(await second.TryLeadAsync("outbox"));
        Assert.False(await first.TryLeadAsync("outbox"));
        Assert.True(await second.IsAliveAsync("first"), "the first instance took its presence again when it reconnected");
    }
}
