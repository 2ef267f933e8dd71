using ItChatBot.Automation.Chat;
using ItChatBot.Testing;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class LiteDbPendingRequestStoreTests : PendingRequestStoreContract
{
    private readonly LiteDbBackend _backend = new();

    protected override Task<IPendingRequestStore> CreateStoreAsync() => Task.FromResult<IPendingRequestStore>(new PendingRequestStore(_backend.Store));

    public override Task DisposeAsync()
    {
        _backend.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Its_collections_exist_before_anything_can_read_them() => LiteDbCollections.AssertMade(_backend.Store, "automation_pending");
}

public sealed class PostgresPendingRequestStoreTests : PendingRequestStoreContract
{
    private PostgresBackend _backend = null!;

    protected override async Task<IPendingRequestStore> CreateStoreAsync()
    {
        _backend = await PostgresBackend.CreateAsync();
        return new PostgresPendingRequestStore(_backend.Db);
    }

    public override async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Of_two_presses_on_two_instances_at_once_one_uses_the_request()
    {
        var (db, _) = await _backend.OtherInstanceAsync("second");
        var second = new PostgresPendingRequestStore(db);
        for (var i = 0; i < 20; i++)
        {
            await Store.AddAsync(Offer($"p{i}", i));

            var used = await Task.WhenAll(Store.TryUseAsync($"p{i}", $"press-a-{i}"), second.TryUseAsync($"p{i}", $"press-b-{i}"));

            Assert.Single(used, u => u);
        }
    }
}
