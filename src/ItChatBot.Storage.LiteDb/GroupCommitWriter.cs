using System.Collections.Concurrent;
using LiteDB;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// Every write goes through one thread, which gathers the writes waiting at that moment into a single
/// transaction (group commit): concurrent callers share the cost of a commit instead of queueing for one
/// each, and none gives up durability. LiteDB transactions belong to a thread, which is the other reason
/// writes cannot simply run on whichever thread-pool thread awaits them.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private const int MaxBatch = 256;
    private readonly LiteDatabase _db;
    private readonly BlockingCollection<IWrite> _queue = new();
    private readonly Thread _thread;

    public GroupCommitWriter(LiteDatabase db)
    {
        _db = db;
        _thread = new Thread(Run) { IsBackground = true, Name = "litedb-writer" };
        _thread.Start();
    }

    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> write)
    {
        var op = new Write<T>(write);
        _queue.Add(op);
        return op.Completion.Task;
    }

    private void Run()
    {
        var batch = new List<IWrite>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var more))
            {
                batch.Add(more);
            }

            if (batch.Count == 1 || !TryAsOneTransaction(batch))
            {
                // One write failed and took the shared transaction with it: run each alone so only it fails.
                foreach (var op in batch)
                {
                    RunAlone(op);
                }
            }
        }
    }

    private bool TryAsOneTransaction(List<IWrite> batch)
    {
        _db.BeginTrans();
        try
        {
            foreach (var op in batch)
            {
                op.Execute(_db);
            }

            _db.Commit();
        }
        catch (Exception)
        {
            _db.Rollback();
            return false;
        }

        foreach (var op in batch)
        {
            op.Complete();
        }

        return true;
    }

    private void RunAlone(IWrite op)
    {
        _db.BeginTrans();
        try
        {
            op.Execute(_db);
            _db.Commit();
            op.Complete();
        }
        catch (Exception ex)
        {
            _db.Rollback();
            op.Fail(ex);
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
