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
        var segmentsBefore = Segments().Count;
        foreach (var l in landed)
        {
            journal.MarkMoved(l);
        }

        Assert.True(segmentsBefore > 2, $"records of ~100 bytes in 200-byte segments should fill several, found {segmentsBefore}");

        // Left: the segment being written (the last one written to, or the one after it if that filled up) and the
        // next one, prepared after it; none of the full segments whose records were all moved.
        var lastWritten = landed.Max(l => l.Position >> 32);
        var left = Segments();
        Assert.InRange(left.Count, 1, 2);
        Assert.All(left, s => Assert.InRange(s, lastWritten, lastWritten + 2));
        Assert.Equal(0, journal.Backlog);
    }

    [Fact]
    public async Task The_segment_a_rotation_moves_to_was_prepared_before_it_was_needed_and_a_close_removes_it_unused()
    {
        const int segmentBytes = 4096;
        var rotations = 0;
        using (var journal = new FileInboundJournal(Folder, segmentBytes))
        {
            // Records of ~100 bytes: 4 KB segments rotate every ~40 writes. Between rotations the background has had
            // time to prepare the next segment, so no rotation prepares one, or waits for one, on the journal's thread.
            for (var n = 1; n <= 200; n++)
            {
                await journal.NextSegmentPrepared.WaitAsync(TimeSpan.FromSeconds(10));
                await journal.WriteAsync(Envelope(n));
            }

            var landed = await TakeAsync(journal, 200);
            rotations = (int)(landed.Max(l => l.Position >> 32) - landed.Min(l => l.Position >> 32));
            Assert.Equal(0, journal.RotationsWaited);

            // The prepared segment is there at full size, all zeros, numbered after the one being written.
            await journal.NextSegmentPrepared.WaitAsync(TimeSpan.FromSeconds(10));
            var last = Segments().Max();
            Assert.True(last > landed.Max(l => l.Position >> 32), $"segment {last} should come after the last one written");
            var prepared = await File.ReadAllBytesAsync(SegmentFile(last));
            Assert.Equal(segmentBytes, prepared.Length);
            Assert.All(prepared, b => Assert.Equal(0, b));
        }

        Assert.InRange(rotations, 3, 200);

        // Closed cleanly: the unused prepared segment is gone, and a reopened journal replays all 200 records once.
        using var reopened = new FileInboundJournal(Folder, segmentBytes);
        var again = await TakeAsync(reopened, 200);
        Assert.Equal(Enumerable.Range(1, 200).Select(Envelope), again.Select(l => l.Envelope));
        Assert.False(reopened.Landed.TryRead(out _));
    }

    [Fact]
    public async Task A_prepared_segment_left_by_a_crash_is_empty_to_replay_and_is_deleted()
    {
        using (var journal = new FileInboundJournal(Folder, segmentBytes: 4096))
        {
            await journal.WriteAsync(Envelope(1));
            await journal.NextSegmentPrepared.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // What a crash leaves besides the written segment: a prepared one of zeros, numbered after it.
        var written = Assert.Single(Segments());
        await File.WriteAllBytesAsync(SegmentFile(written + 1), new byte[4096]);

        using var reopened = new FileInboundJournal(Folder, segmentBytes: 4096);
        var landed = await TakeAsync(reopened, 1);

        Assert.Equal(Envelope(1), landed[0].Envelope);
        Assert.False(reopened.Landed.TryRead(out _));
        Assert.DoesNotContain(written + 1, Segments());
    }

    /// <summary>The file of segment <paramref name="number"/>, named as the journal names it.</summary>
    private string SegmentFile(long number) => Path.Combine(Folder, $"{number:D10}.journal");

    private List<long> Segments() =>
        Directory.GetFiles(Folder, "*.journal").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f))).Order().ToList();

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

            // What a crash now would leave: the segment at its prepared size, the records at its start (the next
            // segment, prepared in the background, holds nothing yet).
            var segment = SegmentFile(Segments().Min());
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
