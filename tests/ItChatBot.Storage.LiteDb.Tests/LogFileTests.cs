using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using LiteDB;

namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>
/// LiteDB's write-ahead log as our stream (<see cref="LogFile"/>): a commit costs two fsyncs rather than one per page,
/// and the files stay what LiteDB itself reads, so a store stopped at any moment reopens with every completed write.
/// </summary>
public sealed class LogFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_commit_of_many_pages_costs_two_log_fsyncs_around_its_confirming_page()
    {
        using var store = new LiteDbStore(_folder.File("store.db"));
        var events = Enumerable.Range(1, 400)
            .SelectMany(n => Events.Of($"IT-{n}").Created(T0.AddMinutes(n), "P3", category: $"printer {n} on floor {n % 7} jams every morning").Assigned(T0.AddMinutes(n + 1), "A1").List)
            .ToList();
        var before = store.WriterStats;

        await store.AppendAsync(events);

        var after = store.WriterStats;
        Assert.Equal(1, after.Commits - before.Commits);
        // The page that confirms the transaction was recognised (LiteDB's page layout is where LogFile expects it)...
        Assert.Equal(1, after.LogConfirmations - before.LogConfirmations);
        // ...so the commit cost an fsync before that page and one after it, not one per page.
        Assert.Equal(2, after.LogSyncs - before.LogSyncs);
        // The commit really was many pages (800 events and 400 tickets with their indexes): one fsync each would be hundreds.
        Assert.True(new FileInfo(LogFile.For(_folder.File("store.db"))).Length >= 50 * LogFile.PageSize);
    }

    [Fact]
    public async Task A_completed_write_is_in_the_files_for_LiteDB_to_recover_while_the_store_is_still_open()
    {
        using var store = new LiteDbStore(_folder.File("store.db"));
        await store.AppendAsync(Events.Of("IT-1").Created(T0, "P2").Assigned(T0.AddMinutes(2), "A7").List);

        // What a crash right now would leave: the data file and the log as they are, opened by LiteDB's own file code.
        File.Copy(_folder.File("store.db"), _folder.File("copy.db"));
        File.Copy(LogFile.For(_folder.File("store.db")), _folder.File("copy-log.db"));
        using var copy = new LiteDatabase(new ConnectionString { Filename = _folder.File("copy.db"), Connection = ConnectionType.Direct });

        var events = copy.GetCollection("events").FindAll().ToList();
        Assert.Equal(["Created", "Assigned"], events.Select(e => e["ty"].AsString));
        Assert.Equal("A7", copy.GetCollection("tickets").FindById("IT-1")["assignee"].AsString);
    }

    [Fact]
    public async Task A_clean_close_empties_the_log_into_the_data_file_and_removes_it()
    {
        var path = _folder.File("store.db");
        using (var store = new LiteDbStore(path))
        {
            await store.AppendAsync(Events.Of("IT-1").Created(T0).List);
            Assert.True(File.Exists(LogFile.For(path)));
        }

        Assert.False(File.Exists(LogFile.For(path)));
        using var reopened = new LiteDbStore(path);
        Assert.Equal(TicketStatus.New, (await reopened.GetAsync("IT-1"))!.Status);
    }

    [Fact]
    public void The_log_is_where_LiteDB_looks_for_it()
    {
        Assert.Equal(Path.Combine("data", "itchatbot-log.db"), LogFile.For(Path.Combine("data", "itchatbot.db")));
    }
}
