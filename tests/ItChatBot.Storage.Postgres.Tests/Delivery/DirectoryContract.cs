using ItChatBot.Core.Directory;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>What every embedded <see cref="IDirectory"/> does, whichever store holds it.</summary>
public abstract class DirectoryContract : StoreContract
{
    private IDirectory Directory => Stores.Directory;

    [Fact]
    public async Task People_are_found_by_id_email_and_platform_id()
    {
        await Directory.UpsertAsync(Alice());

        var found = await Directory.FindAsync("alice");
        Assert.Equal(("carol", "Alice@Example.com", "Service desk"), (found!.ManagerId, found.Email, found.Title));
        Assert.Equal([Roles.Employee, Roles.Agent], found.Roles);
        Assert.Equal(Alice().PlatformIds, found.PlatformIds);
        Assert.Equal("alice", (await Directory.FindByEmailAsync("alice@example.com"))!.Id);
        Assert.Equal("alice", (await Directory.FindByEmailAsync("ALICE@EXAMPLE.COM"))!.Id);
        Assert.Equal("alice", (await Directory.FindByPlatformIdAsync("teams", "29:abc"))!.Id);
        Assert.Null(await Directory.FindByPlatformIdAsync("slack", "29:abc"));
        Assert.Null(await Directory.FindAsync("bob"));
        Assert.Null(await Directory.FindByEmailAsync("bob@example.com"));
        Assert.True((await Directory.FindAsync("alice"))!.IsAgentOf("it"));
    }

    [Fact]
    public async Task An_upsert_replaces_the_person_and_keeps_links_it_leaves_out()
    {
        await Directory.UpsertAsync(Alice());
        var moved = Alice();
        moved.Email = "alice@new.example.com";
        moved.DisplayName = "Alice Smith";
        moved.PlatformIds = new() { ["web"] = "alice" };
        await Directory.UpsertAsync(moved);

        Assert.Equal("Alice Smith", (await Directory.FindAsync("alice"))!.DisplayName);
        Assert.Null(await Directory.FindByEmailAsync("alice@example.com"));
        Assert.Equal("alice", (await Directory.FindByEmailAsync("ALICE@new.example.com"))!.Id);
        Assert.Equal("alice", (await Directory.FindByPlatformIdAsync("web", "alice"))!.Id);
        Assert.Equal("alice", (await Directory.FindByPlatformIdAsync("slack", "U01"))!.Id);

        // A platform id given to someone else now finds them.
        await Directory.UpsertAsync(new Person { Id = "bob", DisplayName = "Bob", Email = "bob@example.com", PlatformIds = new() { ["slack"] = "U01" } });
        Assert.Equal("bob", (await Directory.FindByPlatformIdAsync("slack", "U01"))!.Id);
    }

    [Fact]
    public async Task Everyone_is_listed_by_display_name()
    {
        foreach (var (id, name) in new[] { ("p1", "bob"), ("p2", "Carol"), ("p3", "Alice"), ("p4", "Éva") })
        {
            await Directory.UpsertAsync(new Person { Id = id, DisplayName = name, Email = $"{id}@example.com" });
        }

        Assert.Equal(["Alice", "Carol", "bob", "Éva"], (await Directory.ListAsync()).Select(p => p.DisplayName));
    }

    private static Person Alice() => new()
    {
        Id = "alice",
        DisplayName = "Alice",
        Email = "Alice@Example.com",
        ManagerId = "carol",
        Teams = ["IT"],
        Roles = [Roles.Employee, Roles.Agent],
        PlatformIds = new() { ["slack"] = "U01", ["teams"] = "29:abc" },
        Title = "Service desk",
    };
}
