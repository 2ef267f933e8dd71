using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Host.Files;

/// <summary>
/// Files behind download links in PostgreSQL (<c>link_files</c>, bytea; Schema/0420-link-files.sql), so a link made by one
/// instance is served by any. As in the LiteDB store, keeping a file removes the files past their expiry, and a file
/// kept again under its id replaces it. Times are kept to the millisecond, as in LiteDB.
/// </summary>
public sealed class PostgresFileStore(PostgresDatabase db) : IFileStore
{
    public Task SaveAsync(StoredFile file, byte[] content, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            await PostgresDatabase.Execute(c, tx, "delete from link_files where expires_at < @now", cancellationToken, ("now", Rows.Ms(file.CreatedAt)));
            return await PostgresDatabase.Execute(c, tx, """
                insert into link_files (id, name, content_type, created_at, expires_at, export, exported_by, content)
                values (@id, @name, @type, @created, @expires, @export, @by, @content)
                on conflict (id) do update set name = excluded.name, content_type = excluded.content_type, created_at = excluded.created_at,
                    expires_at = excluded.expires_at, export = excluded.export, exported_by = excluded.exported_by, content = excluded.content
                """, cancellationToken,
                ("id", file.Id),
                ("name", file.Name),
                ("type", file.ContentType),
                ("created", Rows.Ms(file.CreatedAt)),
                ("expires", Rows.Ms(file.ExpiresAt)),
                ("export", file.Export?.What),
                ("by", file.Export?.ExportedBy),
                ("content", content));
        }, cancellationToken);

    public Task<(StoredFile File, byte[] Content)?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        db.ReadAsync<(StoredFile, byte[])?>(async c =>
        {
            await using var command = new NpgsqlCommand(
                "select name, content_type, created_at, expires_at, export, exported_by, content from link_files where id = @id", c);
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var file = new StoredFile(
                id,
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : new ExportOrigin(reader.GetString(4), reader.GetString(5)));
            return (file, reader.GetFieldValue<byte[]>(6));
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand("select count(*) from link_files", c);
            return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
}
