using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Storage;

/// <summary>
/// Raw inbound envelopes, stored before the platform is acknowledged. The platform id is unique:
/// a second delivery of the same id is recognised and not processed again.
/// </summary>
public interface IInbox
{
    /// <summary>
    /// Stores the envelope; false when its platform id was stored before (a retry or duplicate). An envelope given
    /// with <see cref="InboundEnvelope.ProcessedAt"/> is stored as processed already (a marker that only records a
    /// sighting).
    /// </summary>
    Task<bool> TryAcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the envelope processed; <paramref name="error"/> records why its handling failed, when it did, with any NUL
    /// character in it written as <c>\u0000</c> as <see cref="IOutbox.MarkFailedAsync"/> does.
    /// </summary>
    Task MarkProcessedAsync(string platformId, string? error = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the envelope processed and enqueues the replies its handling produced, in one write: a turn that ends
    /// with both costs one commit, not two. <paramref name="error"/> records why its handling failed, when it did (the
    /// replies then tell the sender so), as <see cref="MarkProcessedAsync"/> does.
    /// </summary>
    Task CompleteAsync(string platformId, IReadOnlyList<OutboundMessage> replies, string? error = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Envelopes whose processing ended with an error (<see cref="InboundEnvelope.Error"/>), the latest processed first, at
    /// most <paramref name="max"/>: what an operator looks at after someone was told their message was not done.
    /// </summary>
    Task<IReadOnlyList<InboundEnvelope>> FailedAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes an envelope whose processing ended with an error pending again, so that it is handled once more (an operator's
    /// retry once the cause is fixed): no processing time, no error, off the <see cref="FailedAsync"/> list, and on a store
    /// several instances share, this instance's to process. Returns the envelope as it now is; null when there is no such
    /// failed envelope (an unknown id, one still pending, one handled without an error, or one another retry reopened
    /// first), and then nothing changes.
    /// </summary>
    Task<InboundEnvelope?> ReopenAsync(string platformId, CancellationToken cancellationToken = default);

    /// <summary>Envelopes accepted but not processed yet: a start-up sweep re-queues them.</summary>
    Task<IReadOnlyList<InboundEnvelope>> PendingAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The envelope stored under this platform id, processed or not (with <see cref="InboundEnvelope.ProcessedAt"/> and
    /// <see cref="InboundEnvelope.Error"/>); null when none was. A handler reads a marker it failed to store, to tell
    /// its own earlier sighting (a replay) from another delivery's.
    /// </summary>
    Task<InboundEnvelope?> FindAsync(string platformId, CancellationToken cancellationToken = default);
}

/// <param name="PlatformId">Unique across channels, e.g. <c>slack:Ev0123</c> or <c>teams:{conversation}:{activity id}</c>.</param>
/// <param name="Kind">What the body is, for the processor (e.g. <c>event_callback</c>, <c>command</c>, <c>activity</c>).</param>
/// <param name="Body">The raw request body, exactly as received.</param>
public sealed record InboundEnvelope(string PlatformId, string Channel, string Kind, string Body, DateTimeOffset ReceivedAt)
{
    public DateTimeOffset? ProcessedAt { get; init; }

    public string? Error { get; init; }
}
