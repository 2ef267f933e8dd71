using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using ItChatBot.Core.Storage;
using Microsoft.Win32.SafeHandles;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// The embedded <see cref="IInboundJournal"/>: append-only segment files in a folder beside the data file,
/// written by one thread that gathers the envelopes waiting at that moment into one write and one fsync
/// (group commit, as the store's writer does). An ack therefore waits for a few hundred bytes to reach the
/// disk, not for a LiteDB transaction queued behind ticket processing: a LiteDB commit writes a page per
/// collection and index it touches, the journal only what arrived.
/// </summary>
/// <remarks>
/// A record is <c>[length: int32][crc32 of payload: uint32][payload: JSON]</c>, little-endian. A record cut short
/// by a crash, or whose checksum fails, ends its segment: its write never completed, so nobody was acked for it.
/// A segment is deleted once it is no longer the one being written and every record in it was marked moved.
/// The segment after the current one is prepared in the background, so a rotation never makes an ack wait for a
/// new file to be written and synced.
/// </remarks>
public sealed partial class FileInboundJournal : IInboundJournal, IDisposable
{
    private const int MaxBatch = 256;
    private const string Extension = ".journal";
    private readonly string _folder;
    private readonly long _segmentBytes;
    private readonly ThreadQueue<(InboundEnvelope Envelope, TaskCompletionSource Done)> _queue = new();
    private readonly Channel<JournalledEnvelope> _landed = Channel.CreateUnbounded<JournalledEnvelope>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, int> _unmoved = [];
    private readonly Lock _gate = new();
    private readonly Thread _thread;
    private FileStream _file;
    private volatile PreparedSegment? _next;
    private int _rotationsWaited;
    private long _written;
    private long _segment;
    private long _backlog;
    private int _disposed;

    public FileInboundJournal(string folder, long segmentBytes = 4 * 1024 * 1024)
    {
        _folder = Path.GetFullPath(folder);
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(_folder);

        // Whatever earlier runs journalled and did not move goes out first, in order.
        var last = 0L;
        foreach (var (segment, path) in Segments())
        {
            last = Math.Max(last, segment);
            var ordinal = 0;
            foreach (var envelope in ReadSegment(path))
            {
                _landed.Writer.TryWrite(new JournalledEnvelope(envelope, Position(segment, ordinal++)));
            }

            if (ordinal == 0)
            {
                File.Delete(path);
            }
            else
            {
                _unmoved[segment] = ordinal;
                _backlog += ordinal;
            }
        }

        _segment = last + 1;
        _file = Prepare(_segment);
        PrepareNext();
        _thread = new Thread(Run) { IsBackground = true, Name = "inbound-journal" };
        _thread.Start();
    }

    public long Backlog => Interlocked.Read(ref _backlog);

    public Task WriteAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((envelope, done));
        return done.Task;
    }

    public ChannelReader<JournalledEnvelope> Landed => _landed.Reader;

    public void MarkMoved(JournalledEnvelope envelope)
    {
        var segment = envelope.Position >> 32;
        lock (_gate)
        {
            if (!_unmoved.TryGetValue(segment, out var left))
            {
                return;
            }

            Interlocked.Decrement(ref _backlog);
            _unmoved[segment] = --left;
            if (left == 0 && segment != _segment)
            {
                _unmoved.Remove(segment);
                TryDelete(segment);
            }
        }
    }

    private void Run()
    {
        var batch = new List<(InboundEnvelope Envelope, TaskCompletionSource Done)>(MaxBatch);
        var buffer = new MemoryStream();
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var more))
            {
                batch.Add(more);
            }

            try
            {
                buffer.SetLength(0);
                foreach (var (envelope, _) in batch)
                {
                    WriteRecord(buffer, envelope);
                }

                if (_written > 0 && _written + buffer.Length > _segmentBytes)
                {
                    Rotate();
                }

                RandomAccess.Write(_file.SafeFileHandle, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), _written);
                _written += buffer.Length;
                DataSync(_file);
            }
            catch (Exception ex)
            {
                // Nothing of this batch is acked; the callers answer with an error and the platform retries.
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(ex);
                }

                Reopen();
                continue;
            }

            Publish(batch);
            if (_written >= _segmentBytes)
            {
                Rotate();
            }
        }
    }

    private void Publish(List<(InboundEnvelope Envelope, TaskCompletionSource Done)> batch)
    {
        long segment;
        int first;
        lock (_gate)
        {
            segment = _segment;
            first = _unmoved.GetValueOrDefault(segment);
            _unmoved[segment] = first + batch.Count;
            Interlocked.Add(ref _backlog, batch.Count);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            _landed.Writer.TryWrite(new JournalledEnvelope(batch[i].Envelope, Position(segment, first + i)));
            batch[i].Done.TrySetResult();
        }
    }

    private void Rotate()
    {
        _file.Dispose();
        lock (_gate)
        {
            if (_unmoved.GetValueOrDefault(_segment) == 0)
            {
                _unmoved.Remove(_segment);
                TryDelete(_segment);
            }
        }

        OpenNext();
    }

    /// <summary>After a failed write the file may end in a partial record: go on in a fresh segment.</summary>
    private void Reopen()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
        }

        OpenNext();
    }

    /// <summary>
    /// Moves on to the next segment: the one prepared in the background while this one filled, so a rotation costs the
    /// acks waiting on it a file handle, not a 4 MB write and its fsync. Done inline, that took 4–17 ms on an idle disk
    /// and up to 378 ms under the store's write load (the new file's fsync commits ext4's journal, which first writes
    /// out the store's dirty data): every ack in that time waited for it. benchmarks/README.md has the figures.
    /// </summary>
    private void OpenNext()
    {
        lock (_gate)
        {
            _segment++;
        }

        try
        {
            if (_next is { } next && next.Segment == _segment)
            {
                if (!next.File.IsCompleted)
                {
                    Interlocked.Increment(ref _rotationsWaited);
                }

                _file = next.File.GetAwaiter().GetResult();
            }
            else
            {
                Interlocked.Increment(ref _rotationsWaited);
                _file = Prepare(_segment);
            }

            _written = 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full or vanished disk: the closed file makes the next batch fail (its callers answer with an error,
            // the platform retries), and that failure tries a fresh segment again.
            _next = null;
            return;
        }

        PrepareNext();
    }

    /// <summary>Starts preparing the segment after the current one, on a thread of its own (it blocks in its fsync).</summary>
    private void PrepareNext()
    {
        var segment = _segment + 1;
        _next = new PreparedSegment(segment, Task.Factory.StartNew(() => Prepare(segment), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    /// <summary>Rotations that found the next segment not prepared yet and prepared it, or waited for it, on the journal's thread.</summary>
    internal int RotationsWaited => Volatile.Read(ref _rotationsWaited);

    /// <summary>Completes when the segment after the current one is ready to be written.</summary>
    internal Task NextSegmentPrepared => _next?.File ?? Task.CompletedTask;

    private static void WriteRecord(MemoryStream buffer, InboundEnvelope envelope)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new Record(envelope.PlatformId, envelope.Channel, envelope.Kind, envelope.Body, envelope.ReceivedAt.ToUnixTimeMilliseconds()),
            RecordJson.Default.Record);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        buffer.Write(header);
        buffer.Write(payload);
    }

    private static IEnumerable<InboundEnvelope> ReadSegment(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var at = 0;
        while (bytes.Length - at >= 8)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            if (length <= 0 || length > bytes.Length - at - 8)
            {
                yield break;
            }

            var payload = bytes.AsSpan(at + 8, length);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                yield break;
            }

            var record = JsonSerializer.Deserialize(payload, RecordJson.Default.Record)!;
            yield return new InboundEnvelope(record.Id, record.Channel, record.Kind, record.Body, DateTimeOffset.FromUnixTimeMilliseconds(record.At));
            at += 8 + length;
        }
    }

    private IEnumerable<(long Segment, string Path)> Segments() =>
        Directory.EnumerateFiles(_folder, "*" + Extension)
            .Select(path => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(path), out var n), Segment: n, Path: path))
            .Where(s => s.Ok)
            .OrderBy(s => s.Segment)
            .Select(s => (s.Segment, s.Path))
            .ToList();

    /// <summary>
    /// A new segment, filled with zeros to its full size and synced before its first record: records then overwrite
    /// blocks the file already has, so each batch's sync is an fdatasync that carries no file-system metadata (no new
    /// size, no block allocation) and does not queue behind the metadata journal that the store's own commits use.
    /// Replay stops at the first zero length, as at any torn tail; a prepared segment that never got a record is
    /// empty to replay, and deleted at the next start.
    /// </summary>
    private FileStream Prepare(long segment)
    {
        var file = new FileStream(PathOf(segment), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            var zeros = new byte[64 * 1024];
            for (long at = 0; at < _segmentBytes; at += zeros.Length)
            {
                RandomAccess.Write(file.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, _segmentBytes - at)), at);
            }

            file.Flush(flushToDisk: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    private static void DataSync(FileStream file)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FDataSync(file.SafeFileHandle) != 0)
            {
                throw new IOException($"fdatasync failed on {file.Name} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        else
        {
            file.Flush(flushToDisk: true);
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle file);

    private string PathOf(long segment) => Path.Combine(_folder, segment.ToString("D10") + Extension);

    private static long Position(long segment, int ordinal) => (segment << 32) | (uint)ordinal;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
        _landed.Writer.TryComplete();
        try
        {
            // A clean close leaves the segment as long as its records, without the zeros it was prepared with.
            _file.SetLength(_written);
        }
        catch (IOException)
        {
        }

        _file.Dispose();
        lock (_gate)
        {
            if (_unmoved.GetValueOrDefault(_segment) == 0)
            {
                TryDelete(_segment);
            }
        }

        DiscardNext();
    }

    /// <summary>The prepared segment holds nothing yet: closed and deleted, so a clean close leaves only records behind.</summary>
    private void DiscardNext()
    {
        if (_next is not { } next)
        {
            return;
        }

        try
        {
            next.File.GetAwaiter().GetResult().Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        TryDelete(next.Segment);
    }

    /// <summary>A segment left behind is harmless (its records are dropped by the inbox when replayed); a failed delete must not stop the journal.</summary>
    private void TryDelete(long segment)
    {
        try
        {
            File.Delete(PathOf(segment));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record PreparedSegment(long Segment, Task<FileStream> File);

    private sealed record Record(string Id, string Channel, string Kind, string Body, long At);

    /// <summary>
    /// Generated at build time, so the serializer does not reflect over <see cref="Record"/> on its first use: the first
    /// journal write of a process took 13–16 ms while it did, and every delivery waiting behind it waited too.
    /// </summary>
    [JsonSerializable(typeof(Record))]
    private sealed partial class RecordJson : JsonSerializerContext;
}
