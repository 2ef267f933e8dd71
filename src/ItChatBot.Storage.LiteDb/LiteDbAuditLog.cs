using ItChatBot.Core.Audit;
using LiteDB;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// The audit chain in the store's file: collection <c>audit</c> keyed by sequence number, and the head
/// (last sequence and hash) in <c>audit_head</c>. Appends run on the store's single writer thread, so the
/// head read and the insert that links to it can never interleave with another append.
/// </summary>
public sealed class LiteDbAuditLog : IAuditLog
{
    internal const string Entries = "audit";
    internal const string Head = "audit_head";
    private const string HeadId = "head";

    // Parameterised expressions are parsed once and cached (as in LiteDbStore); Query.EQ builds one per value.
    private const string ById = "$.id = @0";
    private const string BySubject = "$.subject = @0";
    private const string InPeriod = "$.at >= @0 AND $.at < @1";
    private readonly LiteDbStore _store;

    public LiteDbAuditLog(LiteDbStore store)
    {
        _store = store;
        var col = store.Database.GetCollection(Entries);
        col.EnsureIndex("id", "$.id", unique: true);
        col.EnsureIndex("at", "$.at");
        col.EnsureIndex("subject", "$.subject");
        store.EnsureCollections(Head);
    }

    public Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db =>
        {
            var col = db.GetCollection(Entries);
            if (col.FindOne(ById, record.Id) is { } existing)
            {
                return ToEntry(existing);
            }

            var heads = db.GetCollection(Head);
            var head = heads.FindById(HeadId) is { } h ? new AuditHead(h["seq"].AsInt64, h["hash"].AsString) : null;
            var entry = AuditChain.Link(head, record);
            col.Insert(FromEntry(entry));
            heads.Upsert(new BsonDocument { ["_id"] = HeadId, ["seq"] = entry.Seq, ["hash"] = entry.Hash });
            return entry;
        });

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AuditEntry> entries = [.. _store.Database.GetCollection(Entries)
            .Find(BsonExpression.Create(InPeriod, Documents.Ms(from), Documents.Ms(to)))
            .Select(ToEntry)
            .OrderBy(e => e.Seq)];
        return Task.FromResult(entries);
    }

    public Task<IReadOnlyList<AuditEntry>> ReadSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AuditEntry> entries = [.. _store.Database.GetCollection(Entries)
            .Find(BsonExpression.Create(BySubject, subject))
            .Select(ToEntry)
            .OrderBy(e => e.Seq)];
        return Task.FromResult(entries);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // Storage order is _id order; reading it raw (not sorted by the stored seq) is what lets a moved entry show.
        var db = _store.Database;
        var head = db.GetCollection(Head).FindById(HeadId) is { } h ? new AuditHead(h["seq"].AsInt64, h["hash"].AsString) : new AuditHead(0, AuditChain.Genesis);
        var stored = db.GetCollection(Entries).Find(Query.All("_id", Query.Ascending)).Select(ToEntry);
        return Task.FromResult(AuditChain.Verify(stored, head));
    }

    /// <summary>
    /// The data goes in as <c>[key, value]</c> pairs, not as a sub-document: LiteDB's document keys ignore case, so keys
    /// that differ only in case (an imported event's <c>Event</c> beside the projector's <c>event</c>) would be stored as
    /// one, and the entry read back would no longer match the hash taken over both.
    /// </summary>
    private static BsonDocument FromEntry(AuditEntry e)
    {
        return new BsonDocument
        {
            ["_id"] = e.Seq,
            ["seq"] = e.Seq,
            ["id"] = e.Id,
            ["at"] = Documents.Ms(e.At),
            ["actor"] = e.Actor,
            ["action"] = e.Action,
            ["subject"] = e.Subject,
            ["d"] = Documents.FromData(e.Data),
            ["prev"] = e.PrevHash,
            ["hash"] = e.Hash,
        };
    }

    /// <summary>An entry as stored in the file (the tamper tests forge entries from stored ones with it).</summary>
    internal static AuditEntry ToEntry(BsonDocument doc)
    {
        var data = Documents.ToData(doc["d"]);
        return new AuditEntry
        {
            Seq = doc["seq"].AsInt64,
            Id = doc["id"].AsString,
            At = Documents.At(doc["at"]),
            Actor = doc["actor"].AsString,
            Action = doc["action"].AsString,
            Subject = doc["subject"].AsString,
            Data = data,
            PrevHash = doc["prev"].AsString,
            Hash = doc["hash"].AsString,
        };
    }
}
