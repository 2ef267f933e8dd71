using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Host.Files;

/// <summary>
/// Files behind download links, in the data file's LiteDB file storage (<c>_files</c>/<c>_chunks</c>). Each
/// carries its content type, expiry and, for exports, what to write in the audit log when it is downloaded.
/// Files past their expiry are removed whenever a new one is kept.
/// </summary>
public sealed class LiteDbFileStore(LiteDbStore store) : IFileStore
{
    private const string Prefix = "link/";
    private const string Expired = "$._id LIKE @0 AND $.metadata.expires < @1";

    public Task SaveAsync(StoredFile file, byte[] content, CancellationToken cancellationToken = default) =>
        store.WriteAsync(db =>
        {
            // Only this store's files: another part's file without an expiry would compare as null, below any number.
            var expired = db.FileStorage.Find(BsonExpression.Create(Expired, Prefix + "%", file.CreatedAt.ToUnixTimeMilliseconds())).Select(f => f.Id).ToList();
            foreach (var id in expired)
            {
                db.FileStorage.Delete(id);
            }

            var metadata = new BsonDocument
            {
                ["contentType"] = file.ContentType,
                ["created"] = file.CreatedAt.ToUnixTimeMilliseconds(),
                ["expires"] = file.ExpiresAt.ToUnixTimeMilliseconds(),
            };
            if (file.Export is { } export)
            {
                metadata["export"] = export.What;
                metadata["exportedBy"] = export.ExportedBy;
            }

            using var stream = new MemoryStream(content, writable: false);
            db.FileStorage.Upload(Prefix + file.Id, file.Name, stream, metadata);
            return true;
        });

    public Task<(StoredFile File, byte[] Content)?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (store.Database.FileStorage.FindById(Prefix + id) is not { } info)
        {
            return Task.FromResult<(StoredFile, byte[])?>(null);
        }

        using var content = new MemoryStream((int)info.Length);
        info.CopyTo(content);
        var m = info.Metadata;
        var file = new StoredFile(
            id,
            info.Filename,
            m["contentType"].AsString,
            DateTimeOffset.FromUnixTimeMilliseconds(m["created"].AsInt64),
            DateTimeOffset.FromUnixTimeMilliseconds(m["expires"].AsInt64),
            m.ContainsKey("export") ? new ExportOrigin(m["export"].AsString, m["exportedBy"].AsString) : null);
        return Task.FromResult<(StoredFile, byte[])?>((file, content.ToArray()));
    }

    public Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Database.FileStorage.FindAll().Count(f => f.Id.StartsWith(Prefix, StringComparison.Ordinal)));
}
