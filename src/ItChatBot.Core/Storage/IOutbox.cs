using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Storage;

/// <summary>
/// Messages waiting to be sent, and the record of what was sent (with the platform's message id, so a
/// later card can replace it in place). Nothing is dropped: a failed send waits for its next attempt.
/// </summary>
public interface IOutbox
{
    Task EnqueueAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pending messages whose next attempt is due, oldest first, at most <paramref name="max"/>; not an update
    /// (<see cref="OutboundMessage.UpdateOf"/>) of a message that is itself still waiting for its next attempt.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task MarkSentAsync(string id, string platformMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default);

    /// <summary>Marks several messages sent in one write (what one dispatcher pass sent).</summary>
    Task MarkSentAsync(IReadOnlyList<SentMessage> sent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed attempt and holds the message until <paramref name="nextAttemptAt"/>. The error is often a remote's
    /// own words; a NUL character in it is kept written as <c>\u0000</c> (<see cref="NulCharacter.Visible"/>), which
    /// PostgreSQL's text columns can hold, on every store alike.
    /// </summary>
    Task MarkFailedAsync(string id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default);

    Task<OutboxEntry?> GetMessageAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Messages still waiting after at least one failed attempt, oldest first, at most <paramref name="max"/>: what an
    /// operator needs to see when a channel keeps refusing something (a channel the bot was removed from, a revoked token).
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> FailingAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes waiting messages due at <paramref name="now"/>, as an operator does after fixing what a channel refused: the
    /// pending message <paramref name="id"/>, or with no id every pending message that has failed at least once. Returns
    /// how many were made due (0 when <paramref name="id"/> is unknown or already sent). Attempts and the last error stay.
    /// </summary>
    Task<int> RetryNowAsync(string? id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Messages of one conversation after a position, in order (the web chat polls this).</summary>
    Task<IReadOnlyList<OutboxEntry>> ListConversationAsync(string channel, string conversationId, long afterSeq, CancellationToken cancellationToken = default);
}

/// <summary>A message the platform accepted, with the id it gave it.</summary>
public sealed record SentMessage(string Id, string PlatformMessageId, DateTimeOffset SentAt);

public sealed record OutboxEntry(long Seq, OutboundMessage Message, OutboxState State, int Attempts, DateTimeOffset NextAttemptAt, string? PlatformMessageId, string? LastError);

public enum OutboxState
{
    Pending,
    Sent,
}
