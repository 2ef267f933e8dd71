using ItChatBot.Automation.Connectors;
using ItChatBot.Testing;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class LiteDbEmbeddedDirectoryStoreTests : EmbeddedDirectoryStoreContract
{
    private readonly LiteDbBackend _backend = new();

    protected override Task<IEmbeddedDirectoryStore> CreateStoreAsync() => Task.FromResult<IEmbeddedDirectoryStore>(new LiteDbEmbeddedDirectoryStore(_backend.Store));

    public override Task DisposeAsync()
    {
        _backend.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Its_collections_exist_before_anything_can_read_them() => LiteDbCollections.AssertMade(_backend.Store, "dir_groups", "dir_password_resets");
}

public sealed class PostgresEmbeddedDirectoryStoreTests : EmbeddedDirectoryStoreContract
{
    private PostgresBackend _backend = null!;

    protected override async Task<IEmbeddedDirectoryStore> CreateStoreAsync()
    {
        _backend = await PostgresBackend.CreateAsync();
        return new PostgresEmbeddedDirectoryStore(_backend.Db);
    }

    public override async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Two_instances_adding_a_member_or_issuing_a_reset_at_once_store_it_once()
    {
        var (db, _) = await _backend.OtherInstanceAsync("second");
        var second = new PostgresEmbeddedDirectoryStore(db);
        for (var i = 0; i < 10; i++)
        {
            await Task.WhenAll(
                Store.AddMemberAsync("app-github-users", $"u{i}"), second.AddMemberAsync("app-github-users", $"u{i}"),
                Store.RecordResetOnceAsync($"k{i}", "erin", T0), second.RecordResetOnceAsync($"k{i}", "erin", T0));
        }

        Assert.Equal(10, Store.Members("app-github-users").Count);
        Assert.Equal(10, second.ResetCount("erin"));
    }
}
