using System.Threading.Channels;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Conversations;

/// <summary>Delivers outbox messages on one channel (web, slack, teams).</summary>
public interface IChannelSender
{
    string Channel { get; }

    /// <summary>
    /// Sends the message, or replaces the card of <paramref name="updatePlatformMessageId"/> when the message is an update.
    /// Returns the platform's id of the message (Slack <c>channel:ts</c>, Teams activity id). Throw
    /// <see cref="ChannelSendException"/> for a failure worth retrying later.
    /// </summary>
    Task<string> SendAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken);

    /// <summary>
    /// The thread id a reply under a sent message names (<see cref="ConversationRef.ThreadId"/>), from the platform id
    /// <see cref="SendAsync"/> returned for it: the same id unless the platform keeps more in it (Slack's is
    /// <c>channel:ts</c>, and a thread is the <c>ts</c>).
    /// </summary>
    string ThreadOf(string platformMessageId) => platformMessageId;

    /// <summary>
    /// Whether <paramref name="conversationId"/> is one person's direct conversation with the bot, which nobody else reads
    /// (a Slack DM, a Teams personal chat, the web chat's <c>dm-</c> conversation). False when the channel cannot tell.
    /// </summary>
    Task<bool> IsDirectAsync(string conversationId, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>A send failed; the outbox tries again after <see cref="RetryAfter"/> when the platform said when (HTTP 429).</summary>
public sealed class ChannelSendException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// Set when part of the message went out before the failure (a card posted, its chart not shared): the platform's id
    /// of what was sent. The outbox then records the message as sent, so a retry does not post it twice, and queues
    /// <see cref="Remainder"/> for the part that did not go out.
    /// </summary>
    public string? PartlySent { get; init; }

    /// <summary>What is still to send when <see cref="PartlySent"/> is set.</summary>
    public OutboundMessage? Remainder { get; init; }

    /// <summary>
    /// The platform refused the message as addressed or as authorised (a channel the bot was removed from, a revoked
    /// token, a card it will not accept): sent again in a minute it fails the same way, and only a person fixing the
    /// cause changes that. The outbox keeps it (nothing is dropped) but tries it far less often, and an operator sends
    /// it at once after the fix (<c>POST /api/outbox/{id}/retry</c>).
    /// </summary>
    public bool Permanent { get; init; }

    /// <summary>
    /// An HTTP status that no retry of the same request can change: 4xx but a timeout (408), a conflict (409), a
    /// precondition (412) or a rate limit (429).
    /// </summary>
    public static bool IsPermanentStatus(int status) => status is >= 400 and < 500 and not (408 or 409 or 412 or 429);
}

/// <summary>Turns a stored inbound envelope of one channel into router calls (and whatever the platform needs besides).</summary>
public interface IEnvelopeHandler
{
    string Channel { get; }

    /// <returns>
    /// True when the handling already marked the envelope processed: the router does that in the write that enqueues
    /// the turn's replies (<see cref="IInbox.CompleteAsync"/>), so the processor does not spend a commit of its own on it.
    /// </returns>
    Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>
/// Wakes the inbound processor when an adapter has stored an envelope and acknowledged it. The stored envelope
/// is the durable copy; this queue only says "there is work", and a start-up sweep re-queues what it lost.
/// </summary>
public sealed class InboundQueue
{
    private readonly Channel<InboundEnvelope> _channel = Channel.CreateBounded<InboundEnvelope>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>False when the queue is full; the envelope stays stored and the sweep picks it up.</summary>
    public bool TryEnqueue(InboundEnvelope envelope) => _channel.Writer.TryWrite(envelope);

    public IAsyncEnumerable<InboundEnvelope> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>
/// Completes once the inbound processor's start-up sweep has read what was pending (stored and acknowledged before a stop,
/// never processed). A channel that stores a delivery and handles it while its request waits (the web chat, a Teams invoke)
/// waits for this before it stores: a delivery stored before that read would be handled by the sweep and by its request at
/// once. One stored after it is the request's alone. The wait is one read of the store, once per start.
/// </summary>
public sealed class PendingSweep
{
    private readonly TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Read => _read.Task;

    public void MarkRead() => _read.TrySetResult();
}

/// <summary>Wakes the outbox dispatcher when messages were enqueued, so delivery waits on a signal rather than a poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent caller.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
