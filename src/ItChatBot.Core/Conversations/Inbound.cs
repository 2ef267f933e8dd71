namespace ItChatBot.Core.Conversations;

/// <summary>
/// What a channel adapter hands the router, free of wire details. <see cref="PlatformId"/> is the
/// platform's own id of the delivery (Slack event id, Teams activity id) and makes it idempotent.
/// </summary>
public abstract record Inbound
{
    public required string PlatformId { get; init; }

    public required ConversationRef Conversation { get; init; }

    /// <summary>The platform's user id; the router resolves it to a <see cref="Directory.Person"/>.</summary>
    public required string FromPlatformUserId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The platform message id of this inbound message, so replies can thread under it.</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// The conversation has no threads (a Teams personal or group chat): the sender cannot reply under their request, so
    /// what they add to it comes as a new message at the top (<see cref="Queues.AwaitedAnswers"/>).
    /// </summary>
    public bool Threadless { get; init; }
}

/// <summary>A DM, a mention with the mention stripped, or a reply in a thread.</summary>
public sealed record InboundMessage : Inbound
{
    public required string Text { get; init; }
}

/// <summary>A slash command (<c>/it status IT-1</c>) or its typed form in Teams: <see cref="Name"/> = <c>it</c>, <see cref="Text"/> = <c>status IT-1</c>.</summary>
public sealed record InboundCommand : Inbound
{
    public required string Name { get; init; }

    public required string Text { get; init; }
}

/// <summary>A press of a card button, carrying the button's action id and value, and any card input.</summary>
public sealed record CardAction : Inbound
{
    public required string ActionId { get; init; }

    public required string Value { get; init; }

    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();
}
