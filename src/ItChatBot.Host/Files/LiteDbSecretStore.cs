using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Host.Files;

/// <summary>Secrets in the data file's <c>secrets</c> collection (base64 in <c>key</c>), read-or-created on its single writer thread.</summary>
public sealed class LiteDbSecretStore(LiteDbStore store) : ISecretStore
{
    private const string Secrets = "secrets";

    public Task<byte[]> GetOrAddAsync(string id, byte[] candidate, CancellationToken cancellationToken = default) =>
        // Read-or-create on the single writer thread, so two first uses cannot keep two values.
        store.WriteAsync(db =>
        {
            var secrets = db.GetCollection(Secrets);
            if (secrets.FindById(id) is { } existing)
            {
                return Convert.FromBase64String(existing["key"].AsString);
            }

            secrets.Insert(new BsonDocument { ["_id"] = id, ["key"] = Convert.ToBase64String(candidate) });
            return candidate;
        });
}
