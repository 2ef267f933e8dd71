using ItChatBot.Core.Audit;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using LiteDB;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>The LiteDB implementations on a real file in a temp folder; tampering goes through the store's own writer.</summary>
public sealed class LiteDbDeliveryStores : DeliveryStores
{
    private readonly TempFolder _folder = new();
    private readonly LiteDbStore _store;

    public LiteDbDeliveryStores()
    {
        _store = new LiteDbStore(_folder.File("delivery.db"));
        Audit = new LiteDbAuditLog(_store);
        Directory = new LiteDbDirectory(_store);
    }

    public override IInbox Inbox => _store;

    public override IOutbox Outbox => _store;

    public override IAuditLog Audit { get; }

    public override IDirectory Directory { get; }

    public override Task ChangeActorAsync(long seq, string actor, bool rehash) => TamperAsync(col =>
    {
        var doc = col.FindById(seq);
        doc["actor"] = actor;
        if (rehash)
        {
            doc["hash"] = AuditChain.ComputeHash(LiteDbAuditLog.ToEntry(doc));
        }

        col.Update(doc);
    });

    public override Task DeleteAsync(long seq) => TamperAsync(col => col.Delete(seq));

    public override Task SwapPlacesAsync(long a, long b) => TamperAsync(col =>
    {
        var (first, second) = (col.FindById(a), col.FindById(b));
        col.Delete(a);
        col.Delete(b);
        (first["_id"], second["_id"]) = (b, a);
        col.Insert(second);
        col.Insert(first);
    });

    public override Task SwapContentAsync(long a, long b) => TamperAsync(col =>
    {
        var (first, second) = (col.FindById(a), col.FindById(b));
        col.Delete(a);
        col.Delete(b);
        (first["_id"], first["seq"], second["_id"], second["seq"]) = (b, b, a, a);
        col.Insert(second);
        col.Insert(first);
    });

    private Task TamperAsync(Action<ILiteCollection<BsonDocument>> change) =>
        _store.WriteAsync(db =>
        {
            change(db.GetCollection("audit"));
            return true;
        });

    public override ValueTask DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
