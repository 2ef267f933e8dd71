using ItChatBot.Automation.Access;
using ItChatBot.Automation.Connectors;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class LiteDbAccessGrantStoreTests : AccessGrantStoreContract
{
    private readonly LiteDbBackend _backend = new();

    protected override Task<IAccessGrantStore> CreateStoreAsync() => Task.FromResult<IAccessGrantStore>(new AccessGrantStore(_backend.Store));

    public override Task DisposeAsync()
    {
        _backend.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresAccessGrantStoreTests : AccessGrantStoreContract
{
    private PostgresBackend _backend = null!;

    protected override async Task<IAccessGrantStore> CreateStoreAsync()
    {
        _backend = await PostgresBackend.CreateAsync();
        return new PostgresAccessGrantStore(_backend.Db, _backend.Instance);
    }

    public override async Task DisposeAsync() => await _backend.DisposeAsync();

    private async Task<PostgresAccessGrantStore> OtherAsync(string id)
    {
        var (db, instance) = await _backend.OtherInstanceAsync(id);
        return new PostgresAccessGrantStore(db, instance);
    }

    [Fact]
    public async Task Of_two_instances_claiming_a_revocation_at_once_one_gets_it()
    {
        var second = await OtherAsync("second");
        for (var i = 0; i < 10; i++)
        {
            var id = $"g-{i}";
            await Store.SaveAsync(Grant(id, TimeSpan.FromHours(1)));

            var claims = await Task.WhenAll(Store.ClaimRevocationAsync(id), second.ClaimRevocationAsync(id));

            Assert.Single(claims, c => c is not null);
            var (holder, other) = claims[0] is not null ? (Store, (IAccessGrantStore)second) : (second, Store);
            Assert.Null(await other.ClaimRevocationAsync(id));
            await other.ReleaseRevocationAsync(id);
            Assert.Null(await other.ClaimRevocationAsync(id)); // only the holder releases its claim
            await holder.SaveAsync(Grant(id, TimeSpan.FromHours(1)) with { State = AccessGrantState.Revoked, RevokedAt = T0.AddHours(1) });
            await holder.ReleaseRevocationAsync(id);
            Assert.Null(await other.ClaimRevocationAsync(id));
        }
    }

    [Fact]
    public async Task A_revocation_claimed_by_an_instance_that_stopped_is_taken_over_by_one_other_instance()
    {
        var (db, crashed) = await _backend.OtherInstanceAsync("crashed");
        var stopped = new PostgresAccessGrantStore(db, crashed);
        var second = await OtherAsync("second");
        await Store.SaveAsync(Grant("g-1h", TimeSpan.FromHours(1)));
        Assert.NotNull(await stopped.ClaimRevocationAsync("g-1h"));
        Assert.Null(await second.ClaimRevocationAsync("g-1h"));

        await crashed.DisposeAsync();
        var takers = await Task.WhenAll(second.ClaimRevocationAsync("g-1h"), Store.ClaimRevocationAsync("g-1h"));

        Assert.Single(takers, t => t is not null);
    }

    [Fact]
    public async Task Revocation_passes_of_two_instances_at_once_revoke_each_grant_once()
    {
        // Two instances' revocation services over one grant table and one directory; the event log is a LiteDB file both
        // append to (the log is not this part's store).
        using var log = new LiteDbBackend();
        var clock = new FakeTimeProvider(T0);
        var directory = new PostgresEmbeddedDirectoryStore(_backend.Db);
        var (otherDb, otherInstance) = await _backend.OtherInstanceAsync("second");
        RevocationService Service(IAccessGrantStore grants, PostgresDatabase db) => new(
            grants,
            new EmbeddedDirectoryConnector(new LiteDbDirectory(log.Store), new PostgresEmbeddedDirectoryStore(db), clock),
            log.Store,
            log.Store,
            new ApplicationCatalog(log.Store),
            new SupportTeams([]),
            Options.Create(new AutomationOptions()),
            clock,
            NullLogger<RevocationService>.Instance);
        var first = Service(Store, _backend.Db);
        var second = Service(new PostgresAccessGrantStore(otherDb, otherInstance), otherDb);
        for (var i = 0; i < 20; i++)
        {
            await Store.SaveAsync(Grant($"g-{i}", TimeSpan.FromHours(1), user: $"u{i}") with { Ticket = $"IT-{i}" });
            await directory.AddMemberAsync("app-aws-admins", $"u{i}");
        }

        clock.Advance(TimeSpan.FromHours(1));
        var revoked = await Task.WhenAll(first.RevokeDueAsync(), second.RevokeDueAsync());

        Assert.Equal(20, revoked.Sum());
        Assert.Empty(directory.Members("app-aws-admins"));
        Assert.All(await Store.AllAsync(), g => Assert.Equal((AccessGrantState.Revoked, 1), (g.State, g.RevokeAttempts)));
        for (var i = 0; i < 20; i++)
        {
            Assert.Single(await ((IEventLog)log.Store).ReadTicketAsync($"IT-{i}"), e => e.Type == EventType.AccessRevoked);
        }
    }
}
