using ItChatBot.Core.Directory;
using ItChatBot.Testing;

namespace ItChatBot.Storage.LiteDb.Tests;

public sealed class LiteDbDirectoryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LiteDbStore _store;
    private readonly LiteDbDirectory _directory;

    public LiteDbDirectoryTests()
    {
        _store = new LiteDbStore(_folder.File("dir.db"));
        _directory = new LiteDbDirectory(_store);
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task People_are_found_by_id_email_and_platform_id()
    {
        var alice = new Person
        {
            Id = "alice",
            DisplayName = "Alice",
            Email = "Alice@Example.com",
            ManagerId = "carol",
            Teams = ["IT"],
            Roles = [Roles.Employee, Roles.Agent],
            PlatformIds = new() { ["slack"] = "U01", ["teams"] = "29:abc" },
        };

        await _directory.UpsertAsync(alice);

        Assert.Equal("carol", (await _directory.FindAsync("alice"))!.ManagerId);
        Assert.Equal("alice", (await _directory.FindByEmailAsync("alice@example.com"))!.Id);
        Assert.Equal("alice", (await _directory.FindByPlatformIdAsync("teams", "29:abc"))!.Id);
        Assert.Null(await _directory.FindByPlatformIdAsync("slack", "29:abc"));
        Assert.True((await _directory.FindAsync("alice"))!.IsAgentOf("it"));
    }
}
