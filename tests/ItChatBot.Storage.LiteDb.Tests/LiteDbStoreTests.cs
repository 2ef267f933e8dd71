using ItChatBot.Core.Conversations;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>The embedded store on a real LiteDB file in a temp folder.</summary>
public sealed class LiteDbStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly LiteDbStore _store;

    public LiteDbStoreTests() => _store = new LiteDbStore(_folder.File("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Events_written_with_their_data_as_a_sub_document_still_read_and_rebuild()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0, "P2", category: "vpn").Assigned(T0.AddMinutes(1), "A1").Survey(T0.AddHours(1), 5).List);
        var before = await _store.ReadTicketAsync("IT-1");
        var live = await _store.GetAsync("IT-1");

        // How events were stored before the data became pairs.
        await _store.WriteAsync(db =>
        {
            var col = db.GetCollection(LiteDbStore.Events);
            foreach (var doc in col.FindAll().ToList())
            {
                var data = new LiteDB.BsonDocument();
                foreach (var pair in doc["d"].AsArray)
                {
                    data[pair[0].AsString] = pair[1];
                }

                doc["d"] = data;
                col.Update(doc);
            }

            return true;
        });
        var after = await _store.ReadTicketAsync("IT-1");
        await _store.RebuildAsync();

        Assert.Equal(before.Select(e => (e.Id, e.Seq, e.Type)), after.Select(e => (e.Id, e.Seq, e.Type)));
        Assert.Equal(before.Select(e => string.Join(",", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal))),
            after.Select(e => string.Join(",", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal))));
        Assert.Equal(("vpn", "A1", 5), (after[0].Get(EventData.Category), after[1].Get(EventData.Assignee), after[2].GetInt(EventData.Score)));
        Assert.Equal(Snapshot([live!]), Snapshot([(await _store.GetAsync("IT-1"))!]));
    }

    [Fact]
    public async Task Eight_threads_appending_at_once_lose_nothing()
    {
        const int perThread = 250;
        var threads = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perThread; i++)
            {
                await _store.AppendAsync(Events.Of($"T{t}-{i + 1}").Created(T0.AddSeconds(i)).List);
            }
        }));

        await Task.WhenAll(threads);

        Assert.Equal(8 * perThread, await _store.CountAsync());
        var seqs = new List<long>();
        await foreach (var e in _store.ReadAllAsync())
        {
            seqs.Add(e.Seq);
        }

        Assert.Equal(8 * perThread, seqs.Distinct().Count());
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(8 * perThread, (await _store.QueryAsync(new TicketQuery { Limit = 10_000 })).Count);
    }

    [Fact]
    public async Task A_write_that_fails_after_changing_something_is_rolled_back_alone()
    {
        var gate = new TaskCompletionSource();
        var blocker = _store.WriteAsync(_ => gate.Task.Wait(TimeSpan.FromSeconds(10)));
        var good = Enumerable.Range(1, 10).Select(i => _store.AppendAsync(Events.Of($"IT-{i}").Created(T0).List)).ToList();
        var bad = _store.WriteAsync<bool>(db =>
        {
            db.GetCollection("scratch").Insert(new LiteDB.BsonDocument { ["_id"] = "half-done" });
            throw new InvalidOperationException("broke halfway");
        });
        gate.SetResult();

        await blocker;
        await Task.WhenAll(good);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("broke halfway", error.Message);
        Assert.Equal(10, await _store.CountAsync());
        Assert.Null(_store.Database.GetCollection("scratch").FindById("half-done"));
    }

    [Fact]
    public async Task A_failing_write_in_a_shared_commit_does_not_take_its_neighbours_with_it()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);
        var good = Enumerable.Range(2, 20).Select(i => _store.AppendAsync(Events.Of($"IT-{i}").Created(T0).List)).ToList();
        var bad = _store.AppendAsync(Events.Of("IT-1").Assigned(T0, "A9").List, expected: new ExpectedVersion("IT-1", 5));

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<ConcurrencyException>(() => bad);
        Assert.Equal(21, await _store.CountAsync());
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused_while_the_first_has_it_open()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);

        // What `itchatbot import` run beside the service did: open the file the service is writing, and write it too.
        var refused = Assert.Throws<DataFileInUseException>(() => new LiteDbStore(_folder.File("store.db")));
        using var other = new LiteDbStore(_folder.File("other.db"));
        _store.Dispose();
        using var reopened = new LiteDbStore(_folder.File("store.db"));

        Assert.Equal(Path.GetFullPath(_folder.File("store.db")), refused.DataFile);
        Assert.Contains("is in use by another ItChatBot process", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await reopened.CountAsync());
        await reopened.AppendAsync(Events.Of("IT-2").Created(T0).List);
        Assert.Equal(2, await reopened.CountAsync());
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);
        _store.Dispose();

        using var reopened = new LiteDbStore(_folder.File("store.db"));

        Assert.Equal(1, await reopened.CountAsync());
        Assert.Equal(TicketStatus.New, (await reopened.GetAsync("IT-1"))!.Status);
    }

    [Fact]
    public async Task Asked_to_the_store_runs_its_writer_thread_at_lower_priority_and_otherwise_at_the_callers()
    {
        using var lowered = new LiteDbStore(_folder.File("lowered.db"), lowerWriterPriority: true);
        var caller = OsThreadInfo.Current();

        var low = await lowered.WriteAsync(_ => OsThreadInfo.Current());
        var normal = await _store.WriteAsync(_ => OsThreadInfo.Current());

        Assert.Equal("litedb-writer", low.Thread);
        Assert.Equal("litedb-writer", normal.Thread);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(10, low.Nice);
            Assert.Equal(caller.Nice, normal.Nice);
        }
    }

    private static List<string> Snapshot(IEnumerable<Ticket> tickets) =>
        [.. tickets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key}|{t.Team}|{t.Priority}|{t.Status}|{t.Assignee}|{t.CreatedAt:O}|{t.ResolvedAt:O}|{t.ReopenCount}|{t.EventCount}|{t.LastSeq}")];
}
