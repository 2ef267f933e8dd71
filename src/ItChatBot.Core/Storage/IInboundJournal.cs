using System.Threading.Channels;

namespace ItChatBot.Core.Storage;

/// <summary>
/// The first durable stop of a delivery that needs nothing back but the acknowledgement (a Slack event, command
/// or click; a Teams message): an append-only journal that a channel adapter writes before it acks. A write
/// completes once the envelope is on disk, which costs one shared flush and never waits behind ticket
/// processing. A mover then hands each journalled envelope to the <see cref="IInbox"/> (where a second
/// delivery of the same platform id is dropped) and the processor, and marks it moved; what was journalled but
/// not moved when the service stopped is handed over again at the next start.
/// </summary>
public interface IInboundJournal
{
    /// <summary>Completes when <paramref name="envelope"/> is durably journalled.</summary>
    Task WriteAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default);

    /// <summary>Journalled envelopes not yet marked moved, oldest first: first those left from before a restart, then new ones as they land.</summary>
    ChannelReader<JournalledEnvelope> Landed { get; }

    /// <summary>How many journalled envelopes are not marked moved yet.</summary>
    long Backlog { get; }

    /// <summary>The envelope is in the inbox now; the journal may forget it.</summary>
    void MarkMoved(JournalledEnvelope envelope);
}

/// <param name="Position">Where the journal keeps it; opaque to callers.</param>
public sealed record JournalledEnvelope(InboundEnvelope Envelope, long Position);
