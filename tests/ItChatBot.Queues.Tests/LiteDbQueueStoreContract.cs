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
}
