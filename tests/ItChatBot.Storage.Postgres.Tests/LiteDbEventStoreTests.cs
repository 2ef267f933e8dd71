using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Storage.Postgres.Tests;

/// <summary>The event store contract on the embedded store: a real LiteDB file in a temp folder.</summary>
public sealed class LiteDbEventStoreTests : EventStoreContract
{
    private readonly TempFolder _folder = new();
    private LiteDbStore? _store;

    protected override Task CreateStorageAsync() => Task.CompletedTask;

    protected override Task<(IEventLog Log, ITicketStore Tickets)> OpenAsync()
    {
        _store = new LiteDbStore(_folder.File("store.db"));
        return Task.FromResult<(IEventLog, ITicketStore)>((_store, _store));
    }

    protected override Task CloseAsync((IEventLog Log, ITicketStore Tickets) store)
    {
        ((LiteDbStore)store.Log).Dispose();
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    protected override async Task<IReadOnlyList<string>> PendingOutboxAsync() =>
        [.. (await _store!.DueAsync(DateTimeOffset.MaxValue, 1000)).Select(e => e.Message.Id)];
}
