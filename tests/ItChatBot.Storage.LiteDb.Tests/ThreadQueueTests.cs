namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>
/// The queue behind the writer, the journal and the background lanes: its consumer sleeps instead of spinning, so these
/// check what a lost wake-up or a lost item would break — every item arrives, in each producer's order, and completion
/// ends the consumer only after what was added.
/// </summary>
public sealed class ThreadQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Items_from_many_producers_all_reach_a_consumer_that_sleeps_between_them_in_each_producers_order()
    {
        const int producers = 4;
        const int perProducer = 20_000;
        using var queue = new ThreadQueue<(int Producer, int Seq)>();
        var taken = new List<(int Producer, int Seq)>(producers * perProducer);
        var consumer = new Thread(() =>
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                taken.Add(item);
            }
        });
        consumer.Start();

        // Bursts with pauses, so the consumer keeps emptying the queue and going to sleep while items arrive.
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                queue.Add((p, i));
                if (i % 97 == 0)
                {
                    Thread.Yield();
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        queue.CompleteAdding();

        Assert.True(consumer.Join(Patience), "the consumer never saw the end: a wake-up was lost");
        Assert.Equal(producers * perProducer, taken.Count);
        foreach (var group in taken.GroupBy(t => t.Producer))
        {
            Assert.Equal(Enumerable.Range(0, perProducer), group.Select(t => t.Seq));
        }
    }

    [Fact]
    public void A_consumer_asleep_on_an_empty_queue_wakes_for_each_single_add()
    {
        using var queue = new ThreadQueue<int>();
        using var seen = new SemaphoreSlim(0);
        var taken = new List<int>();
        var consumer = new Thread(() =>
        {
            while (queue.Take(out var item))
            {
                taken.Add(item);
                seen.Release();
            }
        });
        consumer.Start();

        // One item at a time, each only after the last was taken: the consumer is asleep (or about to be) at every add.
        for (var i = 0; i < 2_000; i++)
        {
            queue.Add(i);
            Assert.True(seen.Wait(Patience), $"item {i} was added but the consumer never woke for it");
        }

        queue.CompleteAdding();
        Assert.True(consumer.Join(Patience));
        Assert.Equal(Enumerable.Range(0, 2_000), taken);
    }

    [Fact]
    public void After_completion_adds_are_refused_and_what_was_added_before_is_still_taken()
    {
        using var queue = new ThreadQueue<string>();
        queue.Add("first");
        queue.Add("second");

        queue.CompleteAdding();

        Assert.Throws<InvalidOperationException>(() => queue.Add("late"));
        Assert.Equal(["first", "second"], queue.GetConsumingEnumerable());
        Assert.False(queue.Take(out _));
    }

    [Fact]
    public void Try_take_does_not_wait_and_the_copy_shows_what_is_waiting_oldest_first()
    {
        using var queue = new ThreadQueue<int>();

        Assert.False(queue.TryTake(out _));
        queue.Add(1);
        queue.Add(2);
        Assert.Equal([1, 2], queue.ToArray());
        Assert.True(queue.TryTake(out var item));
        Assert.Equal(1, item);
        Assert.Equal([2], queue.ToArray());
    }
}
