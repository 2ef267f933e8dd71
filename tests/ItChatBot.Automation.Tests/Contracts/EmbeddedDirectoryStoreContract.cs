using ItChatBot.Automation.Connectors;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>What every <see cref="IEmbeddedDirectoryStore"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class EmbeddedDirectoryStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected IEmbeddedDirectoryStore Store { get; private set; } = null!;

    protected abstract Task<IEmbeddedDirectoryStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_member_is_added_once_and_members_keep_the_order_they_were_added_in()
    {
        await Store.AddMemberAsync("app-github-users", "erin");
        await Store.AddMemberAsync("app-github-users", "dave");
        await Store.AddMemberAsync("app-github-users", "erin");
        await Store.AddMemberAsync("app-jira-users", "sam");

        Assert.Equal(["erin", "dave"], Store.Members("app-github-users"));
        Assert.True(await Store.IsMemberAsync("app-github-users", "dave"));
        Assert.False(await Store.IsMemberAsync("app-github-users", "sam"));
        Assert.Empty(Store.Members("app-figma-users"));
    }

    [Fact]
    public async Task A_removed_member_is_gone_and_removing_a_stranger_changes_nothing()
    {
        await Store.AddMemberAsync("app-github-users", "erin");
        await Store.AddMemberAsync("app-github-users", "dave");

        await Store.RemoveMemberAsync("app-github-users", "erin");
        await Store.RemoveMemberAsync("app-github-users", "sam");
        await Store.RemoveMemberAsync("app-figma-users", "erin");

        Assert.Equal(["dave"], Store.Members("app-github-users"));
        Assert.False(await Store.IsMemberAsync("app-github-users", "erin"));
        await Store.AddMemberAsync("app-github-users", "erin");
        Assert.Equal(["dave", "erin"], Store.Members("app-github-users"));
    }

    [Fact]
    public async Task A_reset_is_recorded_once_per_idempotency_key()
    {
        await Store.RecordResetOnceAsync("r-IT-1-1:0", "erin", T0);
        await Store.RecordResetOnceAsync("r-IT-1-1:0", "erin", T0.AddMinutes(1));
        await Store.RecordResetOnceAsync("r-IT-2-1:0", "erin", T0.AddMinutes(2));
        await Store.RecordResetOnceAsync("r-IT-3-1:0", "dave", T0);

        Assert.Equal(2, Store.ResetCount("erin"));
        Assert.Equal(1, Store.ResetCount("dave"));
        Assert.Equal(0, Store.ResetCount("sam"));
    }
}
