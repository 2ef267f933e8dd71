namespace ItChatBot.Slack.Inbound;

/// <summary>What a stored Slack envelope's body is, so the handler parses it the way it arrived.</summary>
public static class SlackEnvelopeKinds
{
    /// <summary>An Events API <c>event_callback</c> JSON (HTTP and Socket Mode alike).</summary>
    public const string Event = "event";

    /// <summary>A slash command as the HTTP form body.</summary>
    public const string CommandForm = "command";

    /// <summary>A slash command as the Socket Mode JSON object.</summary>
    public const string CommandJson = "command.json";

    /// <summary>An interaction as the HTTP form body (<c>payload=…</c>).</summary>
    public const string InteractionForm = "interactive";

    /// <summary>An interaction as the Socket Mode JSON object.</summary>
    public const string InteractionJson = "interactive.json";

    /// <summary>
    /// A marker that a channel message (<c>channel</c>+<c>ts</c>) was claimed, so a mention that also arrives as a message
    /// is handled once; its body is the platform id of the envelope that claimed it (empty in markers from before that).
    /// </summary>
    public const string MessageSeen = "message-seen";
}
