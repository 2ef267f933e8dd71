using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Storage.LiteDb.Tests;

public sealed class FileInboundJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    private string Folder => _folder.File("intake");

    public void Dispose() => _folder.Dispose();

    private static InboundEnvelope Envelope(int n) =>
        new($"slack:Ev{n:D4}", "slack", "event_callback", $$"""{"n":{{n}},"text":"é ✓"}""", T0.AddSeconds(n));

    private static async Task<List<JournalledEnvelope>> TakeAsync(IInboundJournal journal, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var taken = new List<JournalledEnvelope>();
        while (taken.Count < count)
        {
            taken.Add(await journal.Landed.ReadAsync(timeout.Token));
        }

        return taken;
    }

    [Fact]
    public async Task Written_envelopes_land_in_order_with_everything_they_carried()
    {
        using var journal = new FileInboundJournal(Folder);
        for (var n = 1; n <= 3; n++)
        {
            await journal.WriteAsync(Envelope(n));
        }

        var landed = await TakeAsync(journal, 3);

        Assert.Equal([Envelope(1), Envelope(2), Envelope(3)], landed.Select(l => l.Envelope));
        Assert.Equal(3, journal.Backlog);
        Assert.False(journal.Landed.TryRead(out _));
    }

    [Fact]
    public async Task What_was_not_moved_before_a_restart_is_handed_over_again_and_what_was_moved_is_not()
    {
        using (var journal = new FileInboundJournal(Folder))
        {
            for (var n = 1; n <= 4; n++)
            {
                await journal.WriteAsync(Envelope(n));
            }

            var landed = await TakeAsync(journal, 4);
            journal.MarkMoved(landed[0]);
            journal.MarkMoved(landed[2]);
        }

        using var reopened = new FileInboundJournal(Folder);
        var again = await TakeAsync(reopened, 4);

        // Moved records are forgotten when their whole segment is moved; until then a restart replays the segment,
        // and the inbox drops the repeats by platform id.
        Assert.Equal([Envelope(1), Envelope(2), Envelope(3), Envelope(4)], again.Select(l => l.Envelope));
        foreach (var l in again)
        {
            reopened.MarkMoved(l);
        }

        Assert.Equal(0, reopened.Backlog);
        reopened.Dispose();
        using var third = new FileInboundJournal(Folder);
        Assert.False(third.Landed.TryRead(out _));
        Assert.Equal(0, third.Backlog);
    }

    [Fact]
    public async Task A_record_cut_short_by_a_crash_ends_its_segment_and_the_records_before_it_survive()
    {
        using (var journal = new FileInboundJournal(Folder))
        {
            await journal.WriteAsync(Envelope(1));
            await journal.WriteAsync(Envelope(2));
        }

        var segment = Assert.Single(Directory.GetFiles(Folder));
        var whole = await File.ReadAllBytesAsync(segment);
        await File.WriteAllBytesAsync(segment, whole[..^5]);

        using var reopened = new FileInboundJournal(Folder);
        var landed = await TakeAsync(reopened, 1);

        Assert.Equal(Envelope(1), landed[0].Envelope);
        Assert.False(reopened.Landed.TryRead(out _));
    }

    [Fact]
    public async Task A_record_whose_checksum_fails_is_not_handed_over()
    {
        using (var journal = new FileInboundJournal(Folder))
        {
            await journal.WriteAsync(Envelope(1));
            await journal.WriteAsync(Envelope(2));
        }

        var segment = Assert.Single(Directory.GetFiles(Folder));
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^3] ^= 0x20;
        await File.WriteAllBytesAsync(segment, bytes);

        using var reopened = new FileInboundJournal(Folder);
        var landed = await TakeAsync(reopened, 1);

        Assert.Equal(Envelope(1), landed[0].Envelope);
        Assert.False(reopened.Landed.TryRead(out _));
    }

    [Fact]
    public async Task A_full_segment_is_closed_and_deleted_once_everything_in_it_was_moved()
    {
        using var journal = new FileInboundJournal(Folder, segmentBytes: 200);
        for (var n = 1; n <= 6; n++)
        {
            await journal.WriteAsync(Envelope(n));
        }

        var landed = await TakeAsync(journal, 6);
        var segmentsBefore = Directory.GetFiles(Folder).Length;
        foreach (var l in landed)
        {
            journal.MarkMoved(l);
        }

        Assert.True(segmentsBefore > 2, $"records of ~100 bytes in 200-byte segments should fill several, found {segmentsBefore}");
        Assert.Single(Directory.GetFiles(Folder));
        Assert.Equal(0, journal.Backlog);
    }

    [Fact]
    public async Task Eight_threads_writing_at_once_lose_nothing_and_repeat_nothing()
    {
        using var journal = new FileInboundJournal(Folder);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await journal.WriteAsync(Envelope(t * 1000 + i));
            }
        })));

        var landed = await TakeAsync(journal, 1600);

        Assert.Equal(1600, landed.Select(l => l.Envelope.PlatformId).Distinct().Count());
        Assert.Equal(1600, landed.Select(l => l.Position).Distinct().Count());
        foreach (var t in Enumerable.Range(0, 8))
        {
            var mine = landed.Where(l => l.Envelope.ReceivedAt >= T0.AddSeconds(t * 1000) && l.Envelope.ReceivedAt < T0.AddSeconds(t * 1000 + 1000)).ToList();
            Assert.Equal(mine.OrderBy(l => l.Envelope.ReceivedAt).Select(l => l.Position), mine.Select(l => l.Position));
        }
    }

    [Fact]
    public async Task A_segment_is_prepared_at_full_size_and_a_crash_leaves_records_then_zeros_that_replay_reads_up_to()
    {
        var copy = _folder.File("copy");
        Directory.CreateDirectory(copy);
        long written;
        using (var journal = new FileInboundJournal(Folder, segmentBytes: 64 * 1024))
        {
            await journal.WriteAsync(Envelope(1));
            await journal.WriteAsync(Envelope(2));

            // What a crash now would leave: the segment at its prepared size, the records at its start.
            var segment = Assert.Single(Directory.GetFiles(Folder));
            Assert.Equal(64 * 1024, new FileInfo(segment).Length);
            File.Copy(segment, Path.Combine(copy, Path.GetFileName(segment)));
        }

        // A clean close cuts the zeros off.
        written = new FileInfo(Assert.Single(Directory.GetFiles(Folder))).Length;
        Assert.InRange(written, 2 * 8 + 2, 1024);

        using var recovered = new FileInboundJournal(copy, segmentBytes: 64 * 1024);
        var landed = await TakeAsync(recovered, 2);
        Assert.Equal([Envelope(1), Envelope(2)], landed.Select(l => l.Envelope));
        Assert.False(recovered.Landed.TryRead(out _));
        Assert.Equal(2, recovered.Backlog);
    }
}
