using ItChatBot.Host.Files;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ItChatBot.Host.Tests;

/// <summary>
/// What the stores behind download links do (<see cref="IFileStore"/> for the files, <see cref="ISecretStore"/> for the
/// signing key), run on the LiteDB file and on PostgreSQL.
/// </summary>
public abstract class FileStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected IFileStore Files { get; private set; } = null!;

    protected ISecretStore Secrets { get; private set; } = null!;

    protected abstract Task<(IFileStore Files, ISecretStore Secrets)> CreateStoresAsync();

    public async Task InitializeAsync() => (Files, Secrets) = await CreateStoresAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_file_comes_back_whole_with_its_type_times_and_export()
    {
        var export = new StoredFile("f1", "audit.csv", "text/csv", At, At.AddDays(7), new ExportOrigin("audit", "carol"));
        var chart = new StoredFile("f2", "chart.png", "image/png", At, At.AddDays(7), null);
        await Files.SaveAsync(export, [1, 2, 3]);
        await Files.SaveAsync(chart, [0x89, 0x50]);

        AssertFound(export, [1, 2, 3], await Files.FindAsync("f1"));
        AssertFound(chart, [0x89, 0x50], await Files.FindAsync("f2"));
        Assert.Null(await Files.FindAsync("f3"));
        Assert.Equal(2, await Files.CountAsync());
    }

    [Fact]
    public async Task Keeping_a_file_removes_the_files_past_their_expiry_then()
    {
        await Files.SaveAsync(new StoredFile("old", "a.csv", "text/csv", At, At.AddDays(1), null), [1]);
        await Files.SaveAsync(new StoredFile("young", "b.csv", "text/csv", At, At.AddDays(3), null), [2]);

        await Files.SaveAsync(new StoredFile("new", "c.csv", "text/csv", At.AddDays(2), At.AddDays(9), null), [3]);

        Assert.Null(await Files.FindAsync("old"));
        Assert.NotNull(await Files.FindAsync("young"));
        Assert.NotNull(await Files.FindAsync("new"));
        Assert.Equal(2, await Files.CountAsync());
    }

    [Fact]
    public async Task A_file_kept_again_under_its_id_replaces_it()
    {
        await Files.SaveAsync(new StoredFile("f1", "a.csv", "text/csv", At, At.AddDays(1), new ExportOrigin("tickets", "carol")), [1, 2]);
        var second = new StoredFile("f1", "b.png", "image/png", At, At.AddDays(2), null);
        await Files.SaveAsync(second, [9]);

        AssertFound(second, [9], await Files.FindAsync("f1"));
        Assert.Equal(1, await Files.CountAsync());
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond()
    {
        var precise = At.AddTicks(1_234_567);
        await Files.SaveAsync(new StoredFile("f1", "a.csv", "text/csv", precise, precise.AddDays(1), null), [1]);

        var found = (await Files.FindAsync("f1"))!.Value.File;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(precise.ToUnixTimeMilliseconds()), found.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(precise.AddDays(1).ToUnixTimeMilliseconds()), found.ExpiresAt);
    }

    [Fact]
    public async Task A_secret_is_kept_by_the_first_use_and_later_ones_get_it()
    {
        var first = await Secrets.GetOrAddAsync("file-links", [1, 2, 3]);
        var again = await Secrets.GetOrAddAsync("file-links", [4, 5, 6]);
        var other = await Secrets.GetOrAddAsync("other", [7]);

        Assert.Equal([1, 2, 3], first);
        Assert.Equal([1, 2, 3], again);
        Assert.Equal([7], other);
    }

    [Fact]
    public async Task A_link_signed_by_one_signer_is_verified_by_another_over_the_same_store_and_refused_when_changed()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var sig = await new FileLinkSigner(Secrets, Options.Create(new FileLinkOptions())).SignAsync("f1", 1_800_000_000);
        var checker = new FileLinkSigner(Secrets, Options.Create(new FileLinkOptions()));

        Assert.Null(await checker.CheckAsync("f1", "1800000000", sig, now));
        Assert.Contains("signature does not match", await checker.CheckAsync("f2", "1800000000", sig, now), StringComparison.Ordinal);
        Assert.Contains("signature does not match", await checker.CheckAsync("f1", "1800000001", sig, now), StringComparison.Ordinal);
    }

    private static void AssertFound(StoredFile file, byte[] content, (StoredFile File, byte[] Content)? found)
    {
        Assert.NotNull(found);
        Assert.Equal(file, found.Value.File);
        Assert.Equal(content, found.Value.Content);
    }
}

/// <summary>The file link stores' contract on a real LiteDB file.</summary>
public sealed class LiteDbFileStoreContract : FileStoreContract
{
    private readonly TempFolder _folder = new();
    private LiteDbStore _store = null!;

    protected override Task<(IFileStore Files, ISecretStore Secrets)> CreateStoresAsync()
    {
        _store = new LiteDbStore(_folder.File("data.db"));
        return Task.FromResult<(IFileStore, ISecretStore)>((new LiteDbFileStore(_store), new LiteDbSecretStore(_store)));
    }

    public override Task DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The file link stores' contract on PostgreSQL, and what several instances sharing a database need: one signing key for
/// all of them, however many start at once, and a file kept by one served by another.
/// </summary>
public sealed class PostgresFileStoreContract : FileStoreContract
{
    private PostgresTestDatabase _test = null!;
    private PostgresDatabase _db = null!;

    protected override async Task<(IFileStore Files, ISecretStore Secrets)> CreateStoresAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        _db = new PostgresDatabase(_test.ConnectionString);
        await _db.MigrateAsync();
        return (new PostgresFileStore(_db), new PostgresSecretStore(_db));
    }

    public override async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _test.DisposeAsync();
    }

    [Fact]
    public async Task Instances_starting_together_make_one_signing_key_and_a_link_signed_by_one_is_verified_by_another()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(_test.ConnectionString)).ToList();
        try
        {
            var signers = instances.Select(db => new FileLinkSigner(new PostgresSecretStore(db), Options.Create(new FileLinkOptions()))).ToList();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var signing = signers.Select(s => Task.Run(async () => { await start.Task; return await s.SignAsync("f1", 1_800_000_000); })).ToList();
            start.SetResult();
            var signatures = await Task.WhenAll(signing);

            Assert.Single(signatures.Distinct(StringComparer.Ordinal));
            var checker = new FileLinkSigner(Secrets, Options.Create(new FileLinkOptions()));
            Assert.Null(await checker.CheckAsync("f1", "1800000000", signatures[0], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        }
        finally
        {
            foreach (var db in instances)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_signer_whose_first_use_failed_asks_again_on_the_next()
    {
        await using var fresh = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresDatabase(fresh.ConnectionString);
        var signer = new FileLinkSigner(new PostgresSecretStore(db), Options.Create(new FileLinkOptions()));

        // No schema yet, as when the database is out of reach: the key cannot be had, and that is not kept.
        await Assert.ThrowsAsync<PostgresException>(() => signer.SignAsync("f1", 1_800_000_000));
        await db.MigrateAsync();
        var sig = await signer.SignAsync("f1", 1_800_000_000);

        var checker = new FileLinkSigner(new PostgresSecretStore(db), Options.Create(new FileLinkOptions()));
        Assert.Null(await checker.CheckAsync("f1", "1800000000", sig, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
    }

    [Fact]
    public async Task A_file_kept_by_one_instance_is_served_by_another()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var file = new StoredFile("f1", "audit.csv", "text/csv", At, At.AddDays(7), new ExportOrigin("audit", "carol"));

        await Files.SaveAsync(file, [1, 2, 3]);

        var found = await new PostgresFileStore(other).FindAsync("f1");
        Assert.Equal(file, found?.File);
        Assert.Equal([1, 2, 3], found?.Content);
    }
}
