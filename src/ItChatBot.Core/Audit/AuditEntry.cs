namespace ItChatBot.Core.Audit;

/// <summary>
/// One link of the audit chain. <see cref="PrevHash"/> is the SHA-256 (hex) of the previous entry's canonical
/// form and <see cref="Hash"/> that of this entry's, so changing, removing or reordering any stored entry
/// breaks the chain at that point (<see cref="AuditChain.Verify"/>).
/// </summary>
public sealed record AuditEntry
{
    public required long Seq { get; init; }

    /// <summary>Unique; appending a record whose id is already in the log returns the stored entry instead.</summary>
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>A person id, <c>automation</c>, <c>system</c>, or <c>api:KEYHASHPREFIX</c> for an API client.</summary>
    public required string Actor { get; init; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was about: a ticket key, a run, a resource, an export name.</summary>
    public required string Subject { get; init; }

    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    public required string PrevHash { get; init; }

    public required string Hash { get; init; }

    public string? Get(string key) => Data.TryGetValue(key, out var value) ? value : null;
}
