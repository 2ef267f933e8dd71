using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using LiteDB;

namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>
/// LiteDB 5 closes its engine when a collection is read while the transaction creating it commits
/// (litedb-org/LiteDB#2792), so every collection read outside the writer exists before the store that reads it is handed
/// out; and whatever LiteDB throws, the writer thread goes on failing writes rather than ending the process.
/// </summary>
public sealed class CollectionCreationTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_new_files_collections_exist_before_the_stores_on_it_are_handed_out_and_reopening_writes_nothing()
    {
        var path = _folder.File("store.db");
        using (var store = new LiteDbStore(path))
        {
            _ = new LiteDbAuditLog(store);
            _ = new LiteDbDirectory(store);

            string[] expected =
            [
                LiteDbStore.Events, LiteDbStore.Tickets, LiteDbStore.Inbox, LiteDbStore.InboxFailed, LiteDbStore.Outbox,
                LiteDbStore.Counters, LiteDbStore.Threads, LiteDbAuditLog.Entries, LiteDbAuditLog.Head, "people", "person_platform_ids",
            ];
            Assert.All(expected, name =>
            {
                Assert.True(store.Database.CollectionExists(name), $"{name} is not created");
                Assert.Equal(0, store.Database.GetCollection(name).Count());
            });
        }

        using var reopened = new LiteDbStore(path);
        _ = new LiteDbAuditLog(reopened);
        _ = new LiteDbDirectory(reopened);
        Assert.Equal(0, reopened.WriterStats.Commits);
    }

    [Fact]
    public async Task The_first_failed_delivery_is_recorded_while_another_thread_lists_the_failures()
    {
        // Before the collections were made at open, this broke LiteDB's engine within the first few rounds.
        for (var round = 0; round < 20; round++)
        {
            using var store = new LiteDbStore(_folder.File($"race-{round}.db"));
            var id = $"slack:Ev{round}";

            await Overlap.ReadThroughoutAsync(
                () => store.FailedAsync(10),
                async () =>
                {
                    Assert.True(await store.TryAcceptAsync(new InboundEnvelope(id, "slack", "event_callback", "{}", T0)));
                    await store.CompleteAsync(id, [], error: "handler failed");
                });

            Assert.Equal([id], (await store.FailedAsync(10)).Select(e => e.PlatformId));
        }
    }

    [Fact]
    public async Task Writes_after_LiteDBs_engine_has_closed_fail_with_its_reason_and_the_writer_thread_goes_on()
    {
        using var store = new LiteDbStore(_folder.File("closed.db"));
        store.Database.Dispose();

        // Before, the writer thread died on the first of these and took the process with it; a dead thread would also
        // leave the second waiting for ever, which the wait bounds.
        var first = store.WriteAsync(db => db.GetCollection("x").Insert(new BsonDocument { ["_id"] = 1 }));
        var second = store.WriteAsync(db => db.GetCollection("x").Insert(new BsonDocument { ["_id"] = 2 }));

        await Assert.ThrowsAsync<LiteException>(() => first.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<LiteException>(() => second.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
