using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Testing;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>
/// Several service instances on one database, each with a <see cref="PostgresDatabase"/> (its own pool) and a
/// <see cref="PostgresInstance"/> of its own, acting at the same moment.
/// </summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _owned = [];
    private PostgresTestDatabase _test = null!;

    public async Task InitializeAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(_test.ConnectionString);
        await db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _test.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_accepting_the_same_platform_id_at_once_store_it_once_and_the_winner_owns_it()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        var ids = Enumerable.Range(0, 40).Select(i => $"slack:Ev{i:D3}").ToList();

        var results = await Task.WhenAll(ids.Select(async id =>
        {
            var both = await Task.WhenAll(
                Task.Run(() => a.Inbox.TryAcceptAsync(Envelope(id))),
                Task.Run(() => b.Inbox.TryAcceptAsync(Envelope(id))));
            return (Id: id, A: both[0], B: both[1]);
        }));

        Assert.All(results, r => Assert.True(r.A ^ r.B, $"{r.Id}: accepted by a {r.A}, by b {r.B}"));
        Assert.Equal(results.Where(r => r.A).Select(r => r.Id), (await a.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
        Assert.Equal(results.Where(r => r.B).Select(r => r.Id), (await b.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_live_instances_pending_envelopes_are_not_taken_over()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        await a.Inbox.TryAcceptAsync(Envelope("web:1"));
        await a.Inbox.TryAcceptAsync(Envelope("web:2"));

        Assert.Empty(await b.Inbox.PendingAsync(100));
        Assert.Equal(["web:1", "web:2"], (await a.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_stopped_instances_pending_envelopes_are_taken_over_by_one_live_instance_and_not_by_a_second()
    {
        var gone = await StartAsync("gone");
        var ids = Enumerable.Range(0, 30).Select(i => $"web:{i:D2}").ToList();
        foreach (var id in ids)
        {
            await gone.Inbox.TryAcceptAsync(Envelope(id));
        }

        await gone.Inbox.MarkProcessedAsync("web:00");
        await gone.Inbox.TryAcceptAsync(Envelope("slack:msg:C1:1.0") with { ProcessedAt = T0 });
        var (b, c) = (await StartAsync("b"), await StartAsync("c"));
        await b.Inbox.TryAcceptAsync(Envelope("web:b"));
        await gone.StopAsync();

        var taken = await Task.WhenAll(Task.Run(() => b.Inbox.PendingAsync(100)), Task.Run(() => c.Inbox.PendingAsync(100)));

        var byB = taken[0].Select(e => e.PlatformId).ToList();
        var byC = taken[1].Select(e => e.PlatformId).ToList();
        Assert.Empty(byB.Intersect(byC));
        Assert.Equal([.. ids.Skip(1), "web:b"], byB.Concat(byC).Order(StringComparer.Ordinal));
        Assert.Contains("web:b", byB);

        // Taken over for good: asked again, each returns what it took and the other takes none of it.
        Assert.Equal(byB, (await b.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
        Assert.Equal(byC, (await c.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_running_instance_takes_over_only_what_stopped_instances_left_never_its_own_nor_a_live_ones()
    {
        var gone = await StartAsync("gone");
        await gone.Inbox.TryAcceptAsync(Envelope("web:g1"));
        await gone.Inbox.TryAcceptAsync(Envelope("web:g2"));
        await gone.Inbox.TryAcceptAsync(Envelope("web:g3"));
        await gone.Inbox.CompleteAsync("web:g3", []);
        var (b, c) = (await StartAsync("b"), await StartAsync("c"));
        await b.Inbox.TryAcceptAsync(Envelope("web:b"));
        await c.Inbox.TryAcceptAsync(Envelope("web:c"));

        Assert.Empty(await ((PostgresInbox)b.Inbox).TakeOverAsync(100));

        await gone.StopAsync();
        var taken = await Task.WhenAll(
            Task.Run(() => ((PostgresInbox)b.Inbox).TakeOverAsync(100)),
            Task.Run(() => ((PostgresInbox)c.Inbox).TakeOverAsync(100)));

        // The stopped instance's two pending envelopes, each to one instance; the processed one and the live ones stay.
        Assert.Equal(["web:g1", "web:g2"], taken.SelectMany(t => t).Select(e => e.PlatformId).Order(StringComparer.Ordinal));
        Assert.Empty(await ((PostgresInbox)b.Inbox).TakeOverAsync(100));
        var taker = taken[0].Count > 0 ? b : c;
        Assert.Equal(
            taker == b ? ["web:b", "web:g1", "web:g2"] : ["web:c", "web:g1", "web:g2"],
            (await taker.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_failed_envelope_reopened_on_another_instance_is_that_instances_to_process_and_reopened_once()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        await a.Inbox.TryAcceptAsync(Envelope("web:1"));
        await a.Inbox.MarkProcessedAsync("web:1", "reference 1a2b3c4d: boom");

        var reopened = await Task.WhenAll(Task.Run(() => a.Inbox.ReopenAsync("web:1")), Task.Run(() => b.Inbox.ReopenAsync("web:1")));

        var winner = Assert.Single(reopened, r => r is not null);
        Assert.Equal(Envelope("web:1"), winner);
        var (mine, other) = reopened[1] is not null ? (b, a) : (a, b);
        Assert.Equal(["web:1"], (await mine.Inbox.PendingAsync(10)).Select(e => e.PlatformId));
        Assert.Empty(await other.Inbox.PendingAsync(10));
    }

    [Fact]
    public async Task Envelopes_taken_over_beyond_the_maximum_come_with_the_next_call()
    {
        var gone = await StartAsync("gone");
        foreach (var i in Enumerable.Range(0, 5))
        {
            await gone.Inbox.TryAcceptAsync(Envelope($"web:{i}"));
        }

        await gone.StopAsync();
        var (b, c) = (await StartAsync("b"), await StartAsync("c"));

        var first = await b.Inbox.PendingAsync(2);
        Assert.Equal(["web:0", "web:1"], first.Select(e => e.PlatformId));
        Assert.Empty(await c.Inbox.PendingAsync(100));
        foreach (var e in first)
        {
            await b.Inbox.CompleteAsync(e.PlatformId, []);
        }

        Assert.Equal(["web:2", "web:3", "web:4"], (await b.Inbox.PendingAsync(100)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task Two_instances_appending_audit_entries_at_once_keep_one_valid_chain()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));

        var appended = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Audit.AppendAsync(AuditRecord.New(T0.AddSeconds(i), $"u{i}", AuditActions.Export, "audit.csv", id: $"r{i % 50}")))));

        var result = await a.Audit.VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(50, result.Checked);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), appended.Select(e => e.Seq).Distinct().Order());
        Assert.True((await b.Audit.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task What_one_instance_queues_sends_or_retries_is_what_another_sees()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        OutboundMessage To(string id) => new() { Id = id, Conversation = new ConversationRef("web", "dm-erin"), Card = new Card { Title = id }, CreatedAt = T0 };

        await a.Inbox.TryAcceptAsync(Envelope("web:1"));
        await a.Inbox.CompleteAsync("web:1", [To("m1"), To("m2")]);
        Assert.Equal(["m1", "m2"], (await b.Outbox.DueAsync(T0, 10)).Select(e => e.Message.Id));

        await b.Outbox.MarkSentAsync("m1", "1.1", T0);
        await b.Outbox.MarkFailedAsync("m2", "timeout", T0.AddHours(1));
        Assert.Empty(await a.Outbox.DueAsync(T0.AddMinutes(1), 10));
        Assert.Equal(1, await a.Outbox.RetryNowAsync("m2", T0.AddMinutes(1)));
        Assert.Equal(["m2"], (await b.Outbox.DueAsync(T0.AddMinutes(1), 10)).Select(e => e.Message.Id));
    }

    private async Task<Node> StartAsync(string id)
    {
        var db = new PostgresDatabase(_test.ConnectionString);
        var instance = new PostgresInstance(db, id);
        await instance.StartAsync();
        var node = new Node(db, instance);
        _owned.Add(node);
        return node;
    }

    private static InboundEnvelope Envelope(string id) => new(id, id.Split(':')[0], "message", "{}", T0);

    /// <summary>One service instance: its pool, its presence, and the stores over them.</summary>
    private sealed class Node(PostgresDatabase db, PostgresInstance instance) : IAsyncDisposable
    {
        private bool _stopped;

        public IInbox Inbox { get; } = new PostgresInbox(db, instance);

        public IOutbox Outbox { get; } = new PostgresOutbox(db);

        public IAuditLog Audit { get; } = new PostgresAuditLog(db);

        /// <summary>Stops the instance as a crash would: its presence ends with its connection, its rows stay.</summary>
        public async Task StopAsync()
        {
            _stopped = true;
            await instance.DisposeAsync();
            await db.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stopped)
            {
                await StopAsync();
            }
        }
    }
}
