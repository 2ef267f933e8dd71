using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Storage;

/// <summary>
/// The append-only event log, the source of truth. An append also updates the ticket projections and
/// enqueues outbox messages in the same transaction, so a reader never sees one without the other.
/// Implementations report every append to <see cref="AppendWatch.Note"/> in the caller's flow.
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Appends the events whose ids are not yet in the log (others are skipped, which makes retries and
    /// re-imports idempotent), applies them to the ticket projections and enqueues <paramref name="outbox"/>.
    /// With <paramref name="expected"/>, fails with <see cref="ConcurrencyException"/> unless that ticket
    /// still has the given number of events: the caller decided on a state that is no longer current.
    /// </summary>
    Task<AppendResult> AppendAsync(
        IReadOnlyList<TicketEvent> events,
        IReadOnlyList<OutboundMessage>? outbox = null,
        ExpectedVersion? expected = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="AppendAsync"/>, for history from outside (an import): each event not yet in the log is first
    /// checked against its ticket's state (<see cref="Ticket.Check"/>) as it stands in the log plus the events
    /// before it in this batch; one that breaks the ticket's rules is left out and reported by its index. One
    /// look-up per event, in the same transaction as the write.
    /// </summary>
    Task<AppendResult> AppendCheckedAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Which of these event ids the log already holds.</summary>
    Task<IReadOnlySet<string>> ContainsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>A ticket's events in log order.</summary>
    Task<IReadOnlyList<TicketEvent>> ReadTicketAsync(string ticketKey, CancellationToken cancellationToken = default);

    /// <summary>Every event after <paramref name="afterSeq"/> in log order, in pages.</summary>
    IAsyncEnumerable<TicketEvent> ReadAllAsync(long afterSeq = 0, CancellationToken cancellationToken = default);

    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The highest <see cref="TicketEvent.Seq"/> written so far (0 when empty).</summary>
    Task<long> LastSeqAsync(CancellationToken cancellationToken = default);
}

public sealed record ExpectedVersion(string Ticket, int EventCount);

public sealed record AppendResult(IReadOnlyList<TicketEvent> Appended, int Skipped)
{
    /// <summary>Events an <see cref="IEventLog.AppendCheckedAsync"/> left out, by their index in the batch.</summary>
    public IReadOnlyList<RejectedEvent> Rejected { get; init; } = [];
}

public sealed record RejectedEvent(int Index, string Reason);

public sealed class ConcurrencyException(string ticket) : Exception($"{ticket} changed while this request was being handled.")
{
    public string Ticket { get; } = ticket;
}
