namespace ItChatBot.Host.Files;

/// <summary>
/// Where the files behind download links are kept: the data file's LiteDB file storage by default
/// (<see cref="LiteDbFileStore"/>), or PostgreSQL when several instances share a database (<see cref="PostgresFileStore"/>).
/// </summary>
public interface IFileStore
{
    /// <summary>Keeps the file (replacing one with its id) and removes this store's files past their expiry.</summary>
    Task SaveAsync(StoredFile file, byte[] content, CancellationToken cancellationToken = default);

    Task<(StoredFile File, byte[] Content)?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>How many files are kept.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);
}

public sealed record StoredFile(string Id, string Name, string ContentType, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, ExportOrigin? Export);

/// <summary>An export behind a link: which one, and who asked for it. Its downloads are audited.</summary>
public sealed record ExportOrigin(string What, string ExportedBy);
