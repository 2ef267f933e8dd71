using System.IO.Hashing;
using System.Reflection;
using System.Text;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL store's connection to its database, shared by every part that keeps its records there (the event log,
/// the inbox and outbox, the queues, automation, Teams): one pooled data source, the schema, and the two ways in.
/// <see cref="WriteAsync{T}"/> runs a write in a transaction of its own and commits it; <see cref="ReadAsync{T}"/> reads on
/// a pooled connection. Several service instances share one database, so a write that must not interleave with another
/// instance's takes a lock inside its transaction (<see cref="LockAsync"/>, or a row lock), never a lock in memory.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const int MaxAttempts = 5;
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>
    /// A connection of its own, outside the pool, for what lives as long as a session (session advisory locks): a pooled
    /// connection goes back to the pool on dispose with its session, and its locks, still held.
    /// </summary>
    public async Task<NpgsqlConnection> OpenUnpooledAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Applies the schema scripts this build carries (<c>Schema/*.sql</c>, in ordinal name order) that the database has not
    /// had yet, each in its own transaction with its name recorded in <c>schema_migrations</c>. Instances starting together
    /// take turns under an advisory lock, so a script runs once.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "select pg_advisory_lock(@key)", cancellationToken, ("key", KeyOf("schema_migrations")));
        try
        {
            await Execute(connection, null, "create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())", cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand("select name from schema_migrations", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            foreach (var (name, sql) in Scripts())
            {
                if (applied.Contains(name))
                {
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, tx, sql, cancellationToken);
                await Execute(connection, tx, "insert into schema_migrations (name) values (@name)", cancellationToken, ("name", name));
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await Execute(connection, null, "select pg_advisory_unlock(@key)", CancellationToken.None, ("key", KeyOf("schema_migrations")));
        }
    }

    /// <summary>The schema scripts in this build, by name (e.g. <c>0100-outbox.sql</c>), in the order they apply.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(PostgresDatabase).Assembly;
        return
        [
            .. assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith("schema/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(n => (n["schema/".Length..], Read(assembly, n))),
        ];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction and commits it. The write must change nothing outside its transaction:
    /// when PostgreSQL gives up on it for a deadlock or a serialization failure (another instance's write got there first),
    /// the transaction is rolled back and the write is run again, up to five times. Any other failure rolls back and throws.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await write(connection, tx);
                await tx.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                await tx.RollbackAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection (each statement sees what was committed when it started).</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>
    /// Takes the transaction-scoped advisory lock named <paramref name="name"/> (released at commit or rollback): writes of
    /// every instance that take the same name run one at a time, e.g. appends that must reach the log in the order of
    /// their positions, or the audit chain's head.
    /// </summary>
    public static Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken = default) =>
        Execute(connection, transaction, "select pg_advisory_xact_lock(@key)", cancellationToken, ("key", KeyOf(name)));

    /// <summary>The 64-bit advisory lock key of a name: stable across processes and builds (XxHash64 of its UTF-8).</summary>
    public static long KeyOf(string name) => unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(name)));

    /// <summary>Runs one statement with named parameters; returns the rows it changed.</summary>
    public static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
