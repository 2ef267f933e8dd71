using ItChatBot.Automation.Access;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>What every <see cref="IAccessGrantStore"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class AccessGrantStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected IAccessGrantStore Store { get; private set; } = null!;

    protected abstract Task<IAccessGrantStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    protected static AccessGrant Grant(string id, TimeSpan lasts, string user = "erin", string group = "app-aws-admins", DateTimeOffset? granted = null) => new()
    {
        Id = id,
        Ticket = "IT-1",
        RunId = "r-IT-1-1",
        Person = user,
        UserId = user,
        Resource = "aws",
        Role = "admin",
        Group = group,
        GrantedAt = granted ?? T0,
        ExpiresAt = (granted ?? T0) + lasts,
        ApprovedBy = "dave",
        AlreadyMember = false,
    };

    [Fact]
    public async Task A_grant_reads_back_whole()
    {
        var grant = Grant("r-IT-1-1:1", TimeSpan.FromHours(2)) with
        {
            ApprovedBy = null,
            AlreadyMember = null,
            State = AccessGrantState.Revoked,
            RevokedAt = T0.AddHours(2).AddMilliseconds(7),
            RevokeAttempts = 2,
            LastError = "timeout",
        };

        await Store.SaveAsync(grant);

        Assert.Equal(grant, await Store.GetAsync(grant.Id));
        Assert.Null(await Store.GetAsync("r-IT-9-1:1"));
    }

    [Fact]
    public async Task Adding_a_grant_once_keeps_the_first_and_returns_it()
    {
        var first = Grant("r-IT-1-1:1", TimeSpan.FromHours(2)) with { AlreadyMember = true };

        Assert.Equal(first, await Store.AddOnceAsync(first));
        Assert.Equal(first, await Store.AddOnceAsync(Grant("r-IT-1-1:1", TimeSpan.FromDays(1))));
        Assert.Equal(first, Assert.Single(await Store.AllAsync()));
    }

    [Fact]
    public async Task Due_grants_are_the_active_ones_expired_by_now_soonest_first()
    {
        await Store.SaveAsync(Grant("g-2h", TimeSpan.FromHours(2)));
        await Store.SaveAsync(Grant("g-1h", TimeSpan.FromHours(1)));
        await Store.SaveAsync(Grant("g-3h", TimeSpan.FromHours(3)));
        await Store.SaveAsync(Grant("g-revoked", TimeSpan.FromMinutes(30)) with { State = AccessGrantState.Revoked, RevokedAt = T0.AddMinutes(30) });

        Assert.Empty(await Store.DueAsync(T0.AddHours(1).AddMilliseconds(-1)));
        Assert.Equal(["g-1h", "g-2h"], (await Store.DueAsync(T0.AddHours(2))).Select(g => g.Id));
    }

    [Fact]
    public async Task Active_later_grants_are_the_persons_on_the_group_that_outlast_now_latest_first()
    {
        await Store.SaveAsync(Grant("g-2h", TimeSpan.FromHours(2)));
        await Store.SaveAsync(Grant("g-2d", TimeSpan.FromDays(2)));
        await Store.SaveAsync(Grant("g-1d", TimeSpan.FromDays(1)));
        await Store.SaveAsync(Grant("g-other-user", TimeSpan.FromDays(3), user: "frank"));
        await Store.SaveAsync(Grant("g-other-group", TimeSpan.FromDays(3), group: "app-aws-users"));
        await Store.SaveAsync(Grant("g-revoked", TimeSpan.FromDays(3)) with { State = AccessGrantState.Revoked });

        Assert.Equal(["g-2d", "g-1d"], (await Store.ActiveLaterAsync("erin", "app-aws-admins", T0.AddHours(2))).Select(g => g.Id));
        Assert.Equal(["g-1d", "g-2d", "g-2h"], (await Store.ActiveOnAsync("erin", "app-aws-admins")).Select(g => g.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Overdue_grants_are_active_past_expiry_and_grace()
    {
        await Store.SaveAsync(Grant("g-1h", TimeSpan.FromHours(1)));
        await Store.SaveAsync(Grant("g-2h", TimeSpan.FromHours(2)));
        await Store.SaveAsync(Grant("g-revoked", TimeSpan.FromMinutes(10)) with { State = AccessGrantState.Revoked });

        Assert.Equal(["g-1h"], (await Store.OverdueAsync(T0.AddHours(2), TimeSpan.FromMinutes(5))).Select(g => g.Id));
        Assert.Empty(await Store.OverdueAsync(T0.AddHours(1).AddMinutes(5), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task All_grants_are_listed_in_the_order_they_were_granted()
    {
        await Store.SaveAsync(Grant("g-b", TimeSpan.FromHours(1), granted: T0.AddMinutes(2)));
        await Store.SaveAsync(Grant("g-a", TimeSpan.FromHours(1), granted: T0.AddMinutes(1)));
        await Store.SaveAsync(Grant("g-c", TimeSpan.FromHours(1), granted: T0.AddMinutes(3)));

        Assert.Equal(["g-a", "g-b", "g-c"], (await Store.AllAsync()).Select(g => g.Id));
    }

    [Fact]
    public async Task A_revocation_is_claimed_only_while_the_grant_is_active()
    {
        var grant = Grant("g-1h", TimeSpan.FromHours(1));
        await Store.SaveAsync(grant);
        await Store.SaveAsync(Grant("g-revoked", TimeSpan.FromHours(1)) with { State = AccessGrantState.Revoked });

        Assert.Equal(grant, await Store.ClaimRevocationAsync("g-1h"));
        Assert.Null(await Store.ClaimRevocationAsync("g-revoked"));
        Assert.Null(await Store.ClaimRevocationAsync("g-unknown"));

        await Store.SaveAsync(grant with { RevokeAttempts = 1, LastError = "down" });
        await Store.ReleaseRevocationAsync("g-1h");
        Assert.Equal(1, (await Store.ClaimRevocationAsync("g-1h"))!.RevokeAttempts);
        await Store.SaveAsync(grant with { State = AccessGrantState.Revoked, RevokedAt = T0.AddHours(1), RevokeAttempts = 2 });
        await Store.ReleaseRevocationAsync("g-1h");
        Assert.Null(await Store.ClaimRevocationAsync("g-1h"));
    }
}
