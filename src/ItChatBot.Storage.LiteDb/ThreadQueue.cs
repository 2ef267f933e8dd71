using System.Collections.Concurrent;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// An unbounded queue feeding one dedicated thread, whose consumer sleeps when the queue is empty instead of spinning.
/// <para>
/// <see cref="BlockingCollection{T}"/> waits on a <see cref="SemaphoreSlim"/>, which spins before it blocks. The
/// store's writer, the inbound journal and the background lanes empty and refill their queues hundreds of times a
/// second; a sampled trace under 200 Slack events a second found about a third of the host's managed samples spinning
/// in those waits, CPU taken from the request threads that acknowledge deliveries on a two-core machine. A queue behind
/// a lock moved the spinning into the lock (producers and the waking consumer contend for it), so this one takes no
/// lock: items go through a <see cref="ConcurrentQueue{T}"/>, and a consumer that finds it empty says so and sleeps on
/// an event that a producer sets only when the consumer sleeps.
/// </para>
/// </summary>
/// <remarks>
/// Single consumer. The sleep flag and the queue are checked in opposite orders by the two sides, each behind a full
/// fence (an interlocked write), so a consumer that goes to sleep just as an item arrives is always woken.
/// <see cref="CompleteAdding"/> waits for adds already under way, so an item is either taken or refused, never lost.
/// </remarks>
public sealed class ThreadQueue<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly AutoResetEvent _signal = new(false);
    private int _sleeping;
    private int _adding;
    private int _completed;
    private int _closed;

    /// <summary>Adds an item; throws <see cref="InvalidOperationException"/> once <see cref="CompleteAdding"/> was called.</summary>
    public void Add(T item)
    {
        Interlocked.Increment(ref _adding);
        try
        {
            if (Volatile.Read(ref _completed) != 0)
            {
                throw new InvalidOperationException("The queue was completed; nothing more can be added.");
            }

            _items.Enqueue(item);
            if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
            {
                _signal.Set();
            }
        }
        finally
        {
            // Last: CompleteAdding waits for this, so no add touches the event once the queue is closed.
            Interlocked.Decrement(ref _adding);
        }
    }

    /// <summary>Takes the next item if there is one, without waiting.</summary>
    public bool TryTake(out T item) => _items.TryDequeue(out item!);

    /// <summary>
    /// Waits for the next item; false once the queue is completed and empty. Every item added before
    /// <see cref="CompleteAdding"/> is taken first.
    /// </summary>
    public bool Take(out T item)
    {
        while (true)
        {
            if (_items.TryDequeue(out item!))
            {
                return true;
            }

            if (Volatile.Read(ref _closed) != 0)
            {
                // Closed means no add is under way or can start: what is queued now is all there will be.
                return _items.TryDequeue(out item!);
            }

            Interlocked.Exchange(ref _sleeping, 1);
            if (!_items.IsEmpty || Volatile.Read(ref _closed) != 0)
            {
                Interlocked.Exchange(ref _sleeping, 0);
                continue;
            }

            _signal.WaitOne();
        }
    }

    /// <summary>The items in order, waiting for each, until the queue is completed and empty.</summary>
    public IEnumerable<T> GetConsumingEnumerable()
    {
        while (Take(out var item))
        {
            yield return item;
        }
    }

    /// <summary>No more items will be added: the consumer takes what is left, then its enumeration ends.</summary>
    public void CompleteAdding()
    {
        Interlocked.Exchange(ref _completed, 1);
        var wait = new SpinWait();
        while (Volatile.Read(ref _adding) != 0)
        {
            wait.SpinOnce();
        }

        Interlocked.Exchange(ref _closed, 1);
        _signal.Set();
    }

    /// <summary>The items waiting now, oldest first (a copy).</summary>
    public T[] ToArray() => _items.ToArray();

    /// <summary>Releases the wait handle; call once the consumer has stopped taking (after <see cref="CompleteAdding"/>).</summary>
    public void Dispose() => _signal.Dispose();
}
