using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Storage.Postgres.Tests;

public sealed class PostgresDatabaseTests
{
    [Fact]
    public async Task Migrating_applies_every_script_once_and_again_changes_nothing()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);

        await db.MigrateAsync();
        await db.MigrateAsync();

        var applied = await db.ReadAsync(async c =>
        {
            var names = new List<string>();
            await using var cmd = new NpgsqlCommand("select name from schema_migrations order by name", c);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        });
        Assert.Equal(PostgresDatabase.Scripts().Select(s => s.Name), applied);
        Assert.Contains("0100-outbox.sql", applied);
    }

    [Fact]
    public async Task Instances_migrating_together_apply_each_script_once()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(test.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(i => i.MigrateAsync()));
            var count = await instances[0].ReadAsync(async c =>
            {
                await using var cmd = new NpgsqlCommand("select count(*) from schema_migrations", c);
                return (long)(await cmd.ExecuteScalarAsync())!;
            });
            Assert.Equal(PostgresDatabase.Scripts().Count, count);
        }
        finally
        {
            foreach (var i in instances)
            {
                await i.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_write_that_throws_leaves_nothing_behind()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync<int>(async (c, tx) =>
        {
            await Rows.EnqueueAsync(c, tx, [Message("m-1")]);
            throw new InvalidOperationException("after the insert");
        }));

        Assert.Equal(0L, await CountAsync(db, "outbox"));
    }

    [Fact]
    public async Task Enqueued_messages_and_a_thread_link_commit_together_and_read_back()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();

        await db.WriteAsync(async (c, tx) =>
        {
            await Rows.EnqueueAsync(c, tx, [Message("m-1"), Message("m-2")]);
            return await Rows.LinkAsync(c, tx, Rows.ThreadKey(new ConversationRef("slack", "D1", "171.1")), "IT-1");
        });
        await db.WriteAsync((c, tx) => Rows.LinkAsync(c, tx, Rows.ThreadKey(new ConversationRef("slack", "D1", "171.1")), "IT-2"));

        Assert.Equal(2L, await CountAsync(db, "outbox"));
        var (mid, state, json) = await db.ReadAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("select mid, state, json from outbox order by seq limit 1", c);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        });
        Assert.Equal("m-1", mid);
        Assert.Equal("Pending", state);
        var back = System.Text.Json.JsonSerializer.Deserialize<OutboundMessage>(json, Rows.Json)!;
        Assert.Equal("Zoë's request", back.Card.Title);
        var ticket = await db.ReadAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("select ticket from thread_links where key = 'slack|D1|171.1'", c);
            return (string?)await cmd.ExecuteScalarAsync();
        });
        Assert.Equal("IT-2", ticket);
    }

    [Fact]
    public async Task A_write_that_deadlocks_with_another_is_run_again()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();
        await db.WriteAsync(async (c, tx) =>
        {
            await Rows.LinkAsync(c, tx, "a", "IT-1");
            return await Rows.LinkAsync(c, tx, "b", "IT-1");
        });

        // Two writes lock the same two rows in opposite orders: PostgreSQL breaks the deadlock by failing one of them,
        // which WriteAsync runs again, so both end committed.
        var bothHoldOne = new Barrier(2);
        var attempts = 0;
        async Task<int> Write(string first, string second, string ticket) => await db.WriteAsync(async (c, tx) =>
        {
            Interlocked.Increment(ref attempts);
            await PostgresDatabase.Execute(c, tx, "update thread_links set ticket = @t where key = @k", default, ("t", ticket), ("k", first));
            if (Volatile.Read(ref attempts) <= 2)
            {
                await Task.Run(() => bothHoldOne.SignalAndWait(TimeSpan.FromSeconds(10)));
            }

            return await PostgresDatabase.Execute(c, tx, "update thread_links set ticket = @t where key = @k", default, ("t", ticket), ("k", second));
        });

        var results = await Task.WhenAll(Write("a", "b", "IT-2"), Write("b", "a", "IT-3"));

        Assert.Equal([1, 1], results);
        Assert.True(attempts >= 3, $"one write should have been run again; attempts: {attempts}");
        var tickets = await db.ReadAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("select count(distinct ticket) from thread_links", c);
            return (long)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.Equal(1L, tickets);
    }

    private static OutboundMessage Message(string id) => new()
    {
        Id = id,
        Conversation = new ConversationRef("slack", "D1", "171.1"),
        Card = new Card { Title = "Zoë's request" },
        CreatedAt = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.FromHours(1)),
    };

    private static Task<long> CountAsync(PostgresDatabase db, string table) => db.ReadAsync(async c =>
    {
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    });
}

public sealed class OutboxNotificationTests
{
    [Fact]
    public async Task Enqueueing_notifies_listeners_at_commit_and_not_before()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();
        await using var listener = await db.OpenUnpooledAsync();
        var heard = 0;
        listener.Notification += (_, e) =>
        {
            if (e.Channel == Rows.OutboxChannel)
            {
                Interlocked.Increment(ref heard);
            }
        };
        await PostgresDatabase.Execute(listener, null, $"listen {Rows.OutboxChannel}", default);

        await db.WriteAsync(async (c, tx) =>
        {
            await Rows.EnqueueAsync(c, tx, [PostgresDatabaseTestsMessages.Message("m-1"), PostgresDatabaseTestsMessages.Message("m-2")]);
            // Not committed yet: nothing may be heard.
            Assert.False(await listener.WaitAsync(TimeSpan.FromMilliseconds(200)));
            return 0;
        });

        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, heard);
    }
}

internal static class PostgresDatabaseTestsMessages
{
    public static OutboundMessage Message(string id) => new()
    {
        Id = id,
        Conversation = new ConversationRef("web", "alice", null),
        Card = new Card { Title = "Hello" },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
