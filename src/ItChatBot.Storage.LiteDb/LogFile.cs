namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// LiteDB's write-ahead log file, handed to LiteDB as its log stream so that a commit costs two fsyncs instead of
/// one per page.
/// <para>
/// LiteDB 5 writes a commit's pages through a queue whose consumer fsyncs whenever it finds the queue empty; the
/// consumer runs inline on the committing thread, so in practice every 8 KB page was written and fsynced on its own
/// (strace of an import: 10,389 fsyncs for 25 commits). Here LiteDB's "flush to disk" does nothing, and durability
/// follows the usual write-ahead order instead:
/// </para>
/// <list type="number">
/// <item>before the page that confirms a transaction is written, everything written before it is fsynced, so a
/// confirmed transaction can never be found on disk without one of its pages;</item>
/// <item>the confirming page is fsynced as soon as it is written, so a commit is durable when LiteDB's commit
/// returns, as before, and LiteDB's checkpoint (which copies the log into the data file right after a commit) only
/// ever copies durable transactions.</item>
/// </list>
/// Pages written between the two (a large transaction spilling to the log) are not synced on their own. Reads need
/// no sync: the file returns what was written. <see cref="Sync"/> is also called after each commit by
/// <see cref="GroupCommitWriter"/>, which makes nothing unsynced durable before a writer is told its write is done.
/// </summary>
internal sealed class LogFile : Stream
{
    // LiteDB 5's page layout (BasePage): 8 KB pages, the "is confirmed" flag of the last page of a transaction at byte 18.
    internal const int PageSize = 8192;
    internal const int ConfirmedFlagOffset = 18;

    private readonly FileStream _file;
    private readonly Lock _gate = new();
    private bool _unsynced;
    private long _syncs;
    private long _confirmations;

    public LogFile(string path)
    {
        Path = path;
        // Unbuffered: LiteDB writes whole pages at explicit positions, and a buffer would only delay them.
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0, FileOptions.RandomAccess);
    }

    /// <summary>The file LiteDB itself would use as the log of <paramref name="dataFile"/>: <c>name-log.ext</c> beside it.</summary>
    public static string For(string dataFile) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(dataFile) ?? "",
            System.IO.Path.GetFileNameWithoutExtension(dataFile) + "-log" + System.IO.Path.GetExtension(dataFile));

    public string Path { get; }

    /// <summary>fsyncs made so far (a test reads it: a commit of many pages must cost two, not one per page).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>
    /// Pages written with LiteDB's "confirmed" flag: one per committed transaction. A test checks it, so that a LiteDB
    /// whose page layout moved the flag is noticed rather than silently losing the write-ahead order.
    /// </summary>
    public long Confirmations => Interlocked.Read(ref _confirmations);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length
    {
        get
        {
            lock (_gate)
            {
                return _file.Length;
            }
        }
    }

    public override long Position
    {
        get
        {
            lock (_gate)
            {
                return _file.Position;
            }
        }

        set
        {
            lock (_gate)
            {
                _file.Position = value;
            }
        }
    }

    /// <summary>Makes everything written so far durable; does nothing when nothing was written since the last sync.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            SyncLocked();
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            return _file.Read(buffer, offset, count);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            var confirms = count > ConfirmedFlagOffset && buffer[offset + ConfirmedFlagOffset] != 0;
            if (confirms)
            {
                SyncLocked();
                Interlocked.Increment(ref _confirmations);
            }

            _file.Write(buffer, offset, count);
            _unsynced = true;
            if (confirms)
            {
                SyncLocked();
            }
        }
    }

    /// <summary>LiteDB's request to flush to disk: the commit's own <see cref="Sync"/> does it, once.</summary>
    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        lock (_gate)
        {
            return _file.Seek(offset, origin);
        }
    }

    public override void SetLength(long value)
    {
        lock (_gate)
        {
            SyncLocked();
            _file.SetLength(value);
            _file.Flush(flushToDisk: true);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                SyncLocked();
                _file.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void SyncLocked()
    {
        if (!_unsynced)
        {
            return;
        }

        _file.Flush(flushToDisk: true);
        _unsynced = false;
        Interlocked.Increment(ref _syncs);
    }
}
