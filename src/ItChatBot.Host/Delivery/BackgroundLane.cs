using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// A thread of its own, at a lower OS priority (nice 10 on Linux), for one background loop and every continuation of
/// its awaits. The loops that work after the ack (moving journalled deliveries to the inbox, processing them, sending
/// the outbox) then yield the CPU to request threads whenever both want it: a platform's ack waits for its journal
/// write, never for a ticket being opened on the other core. When the machine is idle the lane runs at full speed.
/// </summary>
/// <remarks>
/// <c>Host:LowerBackgroundPriority</c> (default true) turns the lower priority off: where the host shares its cores with
/// busier processes of normal priority (the test suite runs several hosts at once), nice 10 gets about a tenth of a
/// core and the loops fall far behind.
/// One thread per lane, so nothing in a loop may block on a task whose continuation needs the lane (sync over async);
/// the code it runs has none. Awaits resume on the lane because it is the current <see cref="TaskScheduler"/>.
/// </remarks>
internal sealed class BackgroundLane : TaskScheduler, IDisposable
{
    private readonly ThreadQueue<Task> _tasks = new();
    private readonly Thread _thread;

    private readonly bool _lower;

    private BackgroundLane(string name, bool lower)
    {
        _lower = lower;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Runs <paramref name="loop"/> on a lane of its own until it ends, at lower priority when <paramref name="lower"/>.</summary>
    public static async Task RunAsync(string name, bool lower, Func<Task> loop)
    {
        using var lane = new BackgroundLane(name, lower);
        await Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.DenyChildAttach, lane).Unwrap();
    }

    public void Dispose() => _tasks.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        try
        {
            _tasks.Add(task);
        }
        catch (InvalidOperationException)
        {
            // The loop has ended and the lane is closing: a straggling continuation runs on the pool instead.
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Run()
    {
        if (_lower)
        {
            OsThread.LowerPriority();
        }
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }

        _tasks.Dispose();
    }
}
