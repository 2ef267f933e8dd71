using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Host.Queues;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Queues.Tests;

/// <summary>The queue store contract on a real LiteDB file.</summary>
public sealed class LiteDbQueueStoreContract : QueueStoreContract
{
    private readonly TempFolder _folder = new();
    private LiteDbStore _store = null!;

    protected override Task<IQueueStore> CreateStoreAsync()
    {
        _store = new LiteDbStore(_folder.File("data.db"));
        return Task.FromResult<IQueueStore>(new LiteDbQueueStore(_store));
    }

    protected override async Task<bool> InOutboxAsync(string messageId) => await _store.GetMessageAsync(messageId) is not null;

    protected override Task EnqueueAsync(OutboundMessage message) => _store.EnqueueAsync([message]);

    protected override Task<string?> TicketOfThreadAsync(ConversationRef thread) => _store.FindTicketByThreadAsync(thread);

    public override Task DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Its_collections_exist_before_anything_can_read_them() => LiteDbCollections.AssertMade(_store, "queue_posts", "queue_once", "queue_checkpoints", "queue_surveys");

    [Fact]
    public async Task A_new_files_first_checkpoint_is_written_while_another_thread_reads_it()
    {
        // The race behind a CI run's crash in these tests: a read meeting the commit that creates its collection closed LiteDB's engine.
        for (var round = 0; round < 20; round++)
        {
            using var store = new LiteDbStore(_folder.File($"race-{round}.db"));
            var queues = new LiteDbQueueStore(store);

            await Overlap.ReadThroughoutAsync(() => queues.GetCheckpointAsync("sla"), () => queues.SetCheckpointAsync("sla", round + 1));

            Assert.Equal(round + 1, await queues.GetCheckpointAsync("sla"));
        }
    }
}
