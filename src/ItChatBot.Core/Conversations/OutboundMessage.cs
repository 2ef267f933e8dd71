using ItChatBot.Core.Cards;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// A message for a channel to deliver, kept in the outbox until sent. <see cref="Id"/> is unique and makes
/// delivery idempotent. <see cref="EphemeralTo"/> makes it visible to that platform user only.
/// <see cref="UpdateOf"/> names an earlier outbound message whose card this one replaces in place, and
/// <see cref="InThreadOf"/> one under which it is threaded.
/// </summary>
public sealed record OutboundMessage
{
    public required string Id { get; init; }

    public required ConversationRef Conversation { get; init; }

    public required Card Card { get; init; }

    public string? EphemeralTo { get; init; }

    public string? UpdateOf { get; init; }

    /// <summary>
    /// An earlier outbound message (its <see cref="Id"/>) in whose thread this one goes, when the thread's platform id is not
    /// known yet: a queue card Slack or Teams has not been sent, so its <c>ts</c> or activity id is not there to thread
    /// under. The dispatcher reads the thread from that message once it is sent, and holds this one back while that one
    /// waits for a retry; a message with a <see cref="ConversationRef.ThreadId"/> of its own keeps it.
    /// </summary>
    public string? InThreadOf { get; init; }

    /// <summary>The ticket this message belongs to, so later updates and relays can find it.</summary>
    public string? Ticket { get; init; }

    /// <summary>A file to attach (CSV export, chart PNG), with its name and content.</summary>
    public OutboundFile? File { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record OutboundFile(string Name, string ContentType, byte[] Content)
{
    /// <summary>
    /// Where the host serves this file without credentials (a signed, expiring link), for channels that cannot
    /// carry the bytes themselves (Teams, the web chat). Absolute when the host knows its public address.
    /// </summary>
    public string? Url { get; init; }
}
