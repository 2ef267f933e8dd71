using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Audit;

/// <summary>What a caller asks to be audited; the log gives it its place in the chain.</summary>
public sealed record AuditRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public required string Action { get; init; }

    public required string Subject { get; init; }

    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <param name="id">Give a stable id (e.g. derived from a ticket event id) to make a retried append harmless.</param>
    public static AuditRecord New(
        DateTimeOffset at,
        string actor,
        string action,
        string subject,
        IReadOnlyDictionary<string, string>? data = null,
        string? id = null) => new()
    {
        Id = id ?? NewId.Next(),
        // The store keeps milliseconds; truncating here keeps the hashed form equal before and after storing.
        At = TicketEvent.Truncate(at),
        Actor = actor,
        Action = action,
        Subject = subject,
        Data = data ?? new Dictionary<string, string>(),
    };
}
