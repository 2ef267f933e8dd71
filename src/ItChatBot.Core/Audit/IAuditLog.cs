namespace ItChatBot.Core.Audit;

/// <summary>
/// The append-only, hash-chained audit log (DESIGN §2). Appends are serialized by the store so that each
/// entry links to the one before it; nothing is ever updated or deleted.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends the record at the head of the chain, or returns the stored entry when its id is already there.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Entries with <c>from &lt;= At &lt; to</c>, in chain order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Entries about one subject (a ticket key, a run), in chain order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadSubjectAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Checks the whole chain and reports the first entry that breaks it.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
