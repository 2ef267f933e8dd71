using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Host.Files;

/// <summary>
/// Secrets in PostgreSQL (<c>host_secrets</c>, Schema/0420-link-files.sql), one value per id for every instance: insert if
/// absent, then read what is there. An instance whose insert meets another's uncommitted row waits for that commit, and
/// its read (a statement of its own, so a fresh snapshot) then sees the other's value.
/// </summary>
public sealed class PostgresSecretStore(PostgresDatabase db) : ISecretStore
{
    public Task<byte[]> GetOrAddAsync(string id, byte[] candidate, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            await PostgresDatabase.Execute(c, tx, "insert into host_secrets (id, value) values (@id, @value) on conflict (id) do nothing",
                cancellationToken, ("id", id), ("value", candidate));
            await using var read = new NpgsqlCommand("select value from host_secrets where id = @id", c, tx);
            read.Parameters.AddWithValue("id", id);
            return (byte[])(await read.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
}
