using ItChatBot.Core.Storage;
using ItChatBot.Testing;
using Npgsql;

namespace ItChatBot.Storage.Postgres.Tests;

/// <summary>The event store contract on PostgreSQL: a database of its own; a restart opens a new data source on it.</summary>
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private PostgresTestDatabase? _test;
    private PostgresDatabase? _db;

    protected override async Task CreateStorageAsync() => _test = await PostgresTestDatabase.CreateAsync();

    protected override async Task<(IEventLog Log, ITicketStore Tickets)> OpenAsync()
    {
        _db = new PostgresDatabase(_test!.ConnectionString);
        await _db.MigrateAsync();
        var store = new PostgresStore(_db);
        return (store, store);
    }

    protected override async Task CloseAsync((IEventLog Log, ITicketStore Tickets) store) => await _db!.DisposeAsync();

    protected override async Task DeleteStorageAsync() => await _test!.DisposeAsync();

    protected override Task<IReadOnlyList<string>> PendingOutboxAsync() =>
        _db!.ReadAsync<IReadOnlyList<string>>(async c =>
        {
            await using var command = new NpgsqlCommand("select mid from outbox where state = 'Pending' order by seq", c);
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new List<string>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });
}
