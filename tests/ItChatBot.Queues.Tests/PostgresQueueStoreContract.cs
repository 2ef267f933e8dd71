using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Host.Queues;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// The queue store contract on PostgreSQL, and what only several instances sharing one database can do: make the same
/// post or the same mark at the same moment.
/// </summary>
public sealed class PostgresQueueStoreContract : QueueStoreContract
{
    private PostgresTestDatabase _test = null!;
    private PostgresDatabase _db = null!;

    protected override async Task<IQueueStore> CreateStoreAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        _db = new PostgresDatabase(_test.ConnectionString);
        await _db.MigrateAsync();
        return new PostgresQueueStore(_db);
    }

    protected override async Task<bool> InOutboxAsync(string messageId) =>
        await ScalarAsync(_db, "select count(*) from outbox where mid = @id", messageId) is 1L;

    protected override Task EnqueueAsync(OutboundMessage message) => _db.WriteAsync((c, tx) => Rows.EnqueueAsync(c, tx, [message]));

    protected override async Task<string?> TicketOfThreadAsync(ConversationRef thread) =>
        await ScalarAsync(_db, "select ticket from thread_links where key = @id", Rows.ThreadKey(thread)) as string;

    public override async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _test.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_adding_the_same_post_at_once_store_it_once_with_one_set_of_cards()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresQueueStore(other);

        for (var i = 0; i < 20; i++)
        {
            var ticket = $"IT-{1000 + i}";
            var mine = Card(ticket) with { Id = $"first-{i}" };
            var theirs = Card(ticket) with { Id = $"second-{i}" };
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var a = Task.Run(async () => { await start.Task; return await Store.TryAddPostAsync(Post(ticket, mine), [mine]); });
            var b = Task.Run(async () => { await start.Task; return await second.TryAddPostAsync(Post(ticket, theirs), [theirs]); });
            start.SetResult();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, r => r);
            var kept = Assert.Single(await Store.PostsOfAsync(ticket));
            var keptCard = Assert.Single(kept.Messages).OutboundId;
            Assert.Equal(results[0] ? mine.Id : theirs.Id, keptCard);
            Assert.Equal(1L, await ScalarAsync(_db, "select count(*) from outbox where json::jsonb ->> 'ticket' = @id", ticket));
            Assert.True(await InOutboxAsync(keptCard));
        }
    }

    [Fact]
    public async Task Two_instances_marking_overlapping_keys_at_once_send_one_notice()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresQueueStore(other);

        for (var i = 0; i < 20; i++)
        {
            var (warn, breach, resolution) = ($"sla|IT-{i}|warn", $"sla|IT-{i}|breach", $"sla|IT-{i}|resolution");
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Opposite orders: the store must not deadlock itself out of an answer.
            var a = Task.Run(async () => { await start.Task; return await Store.TryMarkOnceAsync([breach, warn], At, [Card($"IT-{i}") with { Id = $"a-{i}" }]); });
            var b = Task.Run(async () => { await start.Task; return await second.TryMarkOnceAsync([resolution, warn], At, [Card($"IT-{i}") with { Id = $"b-{i}" }]); });
            start.SetResult();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, r => r);
            Assert.Equal(results[0], await InOutboxAsync($"a-{i}"));
            Assert.Equal(results[1], await InOutboxAsync($"b-{i}"));
            var marked = await second.MarkedAsync([warn, breach, resolution]);
            Assert.Equal(results[0] ? [breach, warn] : [resolution, warn], marked.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task What_one_instance_stores_the_other_reads()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresQueueStore(other);
        var card = Card("IT-950");

        Assert.True(await Store.TryAddPostAsync(Post("IT-950", card), [card]));
        await Store.SetCheckpointAsync("surveys", 9);
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-950", "IT-950", At));

        Assert.False(await second.TryAddPostAsync(Post("IT-950", card), [card]));
        Assert.Single(await second.PostsOfAsync("IT-950"));
        Assert.Equal(9L, await second.GetCheckpointAsync("surveys"));
        Assert.Single(await second.DueSurveysAsync(At, 10));
    }

    private static Task<object?> ScalarAsync(PostgresDatabase db, string sql, string id) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand(sql, c);
            command.Parameters.AddWithValue("id", id);
            return await command.ExecuteScalarAsync();
        });
}
