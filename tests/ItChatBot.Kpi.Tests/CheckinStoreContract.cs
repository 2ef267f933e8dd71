using ItChatBot.Core.Kpi;
using ItChatBot.Host.Kpi;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>What every <see cref="ICheckinStore"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class CheckinStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected ICheckinStore Store { get; private set; } = null!;

    protected abstract Task<ICheckinStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_technicians_checkins_come_back_whole_oldest_first_whatever_the_case_of_their_id()
    {
        var later = new Checkin("c-2", "U-Alice", "U-Lead", At.AddDays(7), "FCR up", """{"fcr":0.8}""");
        var earlier = new Checkin("c-1", "u-alice", "U-Lead", At, "first talk", """{"fcr":0.6}""");
        await Store.AddAsync(later);
        await Store.AddAsync(earlier);
        await Store.AddAsync(new Checkin("c-3", "U-Bob", "U-Lead", At, "bob", "{}"));

        Assert.Equal([earlier, later], await Store.ListAsync("U-ALICE"));
        Assert.Empty(await Store.ListAsync("U-Nobody"));
    }

    [Fact]
    public async Task A_checkin_added_again_under_its_id_replaces_the_first()
    {
        await Store.AddAsync(new Checkin("c-1", "U-Alice", "U-Lead", At, "draft", "{}"));
        var final = new Checkin("c-1", "U-Alice", "U-Lead2", At.AddHours(1), "final", """{"csat":0.9}""");
        await Store.AddAsync(final);

        Assert.Equal([final], await Store.ListAsync("U-Alice"));
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond()
    {
        var precise = At.AddTicks(1_234_567).ToOffset(TimeSpan.FromHours(-5));
        await Store.AddAsync(new Checkin("c-1", "U-Alice", "U-Lead", precise, "note", "{}"));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(precise.ToUnixTimeMilliseconds()), (await Store.ListAsync("U-Alice")).Single().At);
    }
}

/// <summary>The check-in store contract on a real LiteDB file.</summary>
public sealed class LiteDbCheckinStoreContract : CheckinStoreContract
{
    private readonly TempFolder _folder = new();
    private LiteDbStore _store = null!;

    protected override Task<ICheckinStore> CreateStoreAsync()
    {
        _store = new LiteDbStore(_folder.File("data.db"));
        return Task.FromResult<ICheckinStore>(new LiteDbCheckinStore(_store));
    }

    public override Task DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Its_collections_exist_before_anything_can_read_them() => LiteDbCollections.AssertMade(_store, "kpi_checkins");
}

/// <summary>The check-in store contract on PostgreSQL, and a check-in written by one instance listed by another.</summary>
public sealed class PostgresCheckinStoreContract : CheckinStoreContract
{
    private PostgresTestDatabase _test = null!;
    private PostgresDatabase _db = null!;

    protected override async Task<ICheckinStore> CreateStoreAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        _db = new PostgresDatabase(_test.ConnectionString);
        await _db.MigrateAsync();
        return new PostgresCheckinStore(_db);
    }

    public override async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _test.DisposeAsync();
    }

    [Fact]
    public async Task A_checkin_written_by_one_instance_is_listed_by_another()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresCheckinStore(other);
        var checkin = new Checkin("c-9", "U-Alice", "U-Lead", new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), "note", "{}");

        await Store.AddAsync(checkin);

        Assert.Equal([checkin], await second.ListAsync("u-alice"));
    }
}
