using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>A real LiteDB file in a temp folder, for the LiteDB side of the contract tests.</summary>
public sealed class LiteDbBackend : IDisposable
{
    private readonly TempFolder _folder = new();

    public LiteDbBackend() => Store = new LiteDbStore(_folder.File("itchatbot.db"));

    public LiteDbStore Store { get; }

    public async Task<bool> QueuedAsync(string messageId) => await Store.GetMessageAsync(messageId) is not null;

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}

/// <summary>
/// A fresh PostgreSQL database with the schema applied, for the PostgreSQL side of the contract tests; <see cref="Instance"/>
/// is the store's instance, and <see cref="OtherInstanceAsync"/> gives further instances on the same database, each with a
/// data source of its own, as separate processes would have.
/// </summary>
public sealed class PostgresBackend : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private PostgresBackend(PostgresTestDatabase test, PostgresDatabase db, PostgresInstance instance)
    {
        Test = test;
        Db = db;
        Instance = instance;
    }

    public PostgresTestDatabase Test { get; }

    public PostgresDatabase Db { get; }

    public PostgresInstance Instance { get; }

    public static async Task<PostgresBackend> CreateAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        var db = new PostgresDatabase(test.ConnectionString);
        await db.MigrateAsync();
        return new PostgresBackend(test, db, new PostgresInstance(db, "first"));
    }

    /// <summary>Another running instance (its own data source and presence) on the same database.</summary>
    public async Task<(PostgresDatabase Db, PostgresInstance Instance)> OtherInstanceAsync(string id)
    {
        var db = new PostgresDatabase(Test.ConnectionString);
        var instance = new PostgresInstance(db, id);
        await instance.StartAsync();
        _owned.Add(instance);
        _owned.Add(db);
        return (db, instance);
    }

    public Task<bool> QueuedAsync(string messageId) => Db.ReadAsync(async c =>
    {
        await using var select = new NpgsqlCommand("select count(*) from outbox where mid = @mid and state = 'Pending'", c);
        select.Parameters.AddWithValue("mid", messageId);
        return (long)(await select.ExecuteScalarAsync())! == 1;
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Instance.DisposeAsync();
        await Db.DisposeAsync();
        await Test.DisposeAsync();
    }
}
