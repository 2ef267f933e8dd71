using ItChatBot.Core.Storage;
using LiteDB;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// Every write goes through one thread, which gathers the writes waiting at that moment into a single
/// transaction (group commit): concurrent callers share the cost of a commit instead of queueing for one
/// each, and none gives up durability. LiteDB transactions belong to a thread, which is the other reason
/// writes cannot simply run on whichever thread-pool thread awaits them.
/// A write that refuses with <see cref="ConcurrencyException"/> must do so before it changes anything; that
/// refusal fails only its own caller and the rest of the batch commits together. Any other exception rolls the
/// shared transaction back and the batch is run again one write per transaction, so only the culprit fails.
/// Nothing a write or LiteDB throws ends the thread: when LiteDB's engine has closed itself after a fault it cannot
/// recover from, each later write fails with LiteDB's reason, and the process goes on answering (with errors for
/// writes) instead of dying on an unhandled exception in this thread.
/// </summary>
/// <remarks>
/// In the service the thread runs at the after-ack loops' lower priority (nice 10; <c>Host:LowerBackgroundPriority</c>):
/// nearly every commit it makes is work that follows an acknowledgement (moving journalled deliveries into the inbox,
/// a turn's events and replies, outbox marks), and it is the process's largest user of CPU under load, half a core at
/// 200 Slack events a second. At normal priority a request thread woken by its journal flush could wait behind it for a
/// core; at nice 10 the request thread gets the core first. benchmarks/README.md has the figures.
/// </remarks>
internal sealed class GroupCommitWriter : IDisposable
{
    private const int MaxBatch = 256;
    private readonly LiteDatabase _db;
    private readonly Action _durable;
    private readonly bool _lowerPriority;
    private readonly ThreadQueue<IWrite> _queue = new();
    private readonly Thread _thread;
    private long _commits;
    private long _writes;
    private long _fallbacks;

    /// <param name="durable">Makes the last commit durable (fsyncs the log); runs after each commit, before its writers are told.</param>
    /// <param name="lowerPriority">Run the writer's thread at lower OS priority (see the remarks).</param>
    public GroupCommitWriter(LiteDatabase db, Action durable, bool lowerPriority = false)
    {
        _db = db;
        _durable = durable;
        _lowerPriority = lowerPriority;
        _thread = new Thread(Run) { IsBackground = true, Name = "litedb-writer" };
        _thread.Start();
    }

    /// <summary>Commits made, writes carried by them, and batches that had to be re-run one write at a time.</summary>
    public WriterStats Stats => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _writes), Interlocked.Read(ref _fallbacks));

    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> write)
    {
        var op = new Write<T>(write);
        _queue.Add(op);
        return op.Completion.Task;
    }

    private void Run()
    {
        if (_lowerPriority)
        {
            OsThread.LowerPriority();
        }

        var batch = new List<IWrite>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var more))
            {
                batch.Add(more);
            }

            if (batch.Count == 1)
            {
                RunAlone(first);
            }
            else if (!TryAsOneTransaction(batch))
            {
                // One write failed and took the shared transaction with it: run each alone so only it fails.
                Interlocked.Increment(ref _fallbacks);
                foreach (var op in batch)
                {
                    RunAlone(op);
                }
            }
        }
    }

    private bool TryAsOneTransaction(List<IWrite> batch)
    {
        var refused = new Dictionary<IWrite, ConcurrencyException>();
        try
        {
            _db.BeginTrans();
        }
        catch (Exception)
        {
            // Each write alone meets the same refusal and fails with it.
            return false;
        }

        try
        {
            foreach (var op in batch)
            {
                try
                {
                    op.Execute(_db);
                }
                catch (ConcurrencyException ex)
                {
                    // A stale expected version, found before the write changed anything: the others go on.
                    refused[op] = ex;
                }
            }

            _db.Commit();
        }
        catch (Exception)
        {
            Rollback();
            return false;
        }

        try
        {
            _durable();
        }
        catch (Exception ex)
        {
            // Committed but not known to be on disk (an fsync failed, e.g. the disk is full): no writer may be told
            // its write is safe.
            foreach (var op in batch)
            {
                op.Fail(ex);
            }

            return true;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, batch.Count);

        foreach (var op in batch)
        {
            if (refused.TryGetValue(op, out var ex))
            {
                op.Fail(ex);
            }
            else
            {
                op.Complete();
            }
        }

        return true;
    }

    private void RunAlone(IWrite op)
    {
        try
        {
            _db.BeginTrans();
        }
        catch (Exception ex)
        {
            op.Fail(ex);
            return;
        }

        try
        {
            op.Execute(_db);
            _db.Commit();
            _durable();
            Interlocked.Increment(ref _commits);
            Interlocked.Increment(ref _writes);
            op.Complete();
        }
        catch (Exception ex)
        {
            Rollback();
            op.Fail(ex);
        }
    }

    // A rollback that fails means the engine has closed itself; the next BeginTrans reports why, to the write that follows.
    private void Rollback()
    {
        try
        {
            _db.Rollback();
        }
        catch (Exception)
        {
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private interface IWrite
    {
        void Execute(LiteDatabase db);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class Write<T>(Func<LiteDatabase, T> write) : IWrite
    {
        private T _result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute(LiteDatabase db) => _result = write(db);

        public void Complete() => Completion.TrySetResult(_result);

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}

/// <summary>
/// What the writer has done since the store opened: <c>Writes / Commits</c> is the mean batch size, and
/// <see cref="LogSyncs"/> the fsyncs of LiteDB's log those commits cost (two per commit at most; see <see cref="LogFile"/>).
/// </summary>
public readonly record struct WriterStats(long Commits, long Writes, long Fallbacks)
{
    public long LogSyncs { get; init; }

    /// <summary>Transactions LiteDB confirmed in its log (see <see cref="LogFile.Confirmations"/>).</summary>
    public long LogConfirmations { get; init; }
}
