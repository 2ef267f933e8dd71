namespace ItChatBot.Teams.Activities;

/// <summary>
/// A Teams channel thread is part of its conversation id: an activity in the thread under post <c>X</c> of channel
/// <c>19:abc@thread.tacv2</c> names the conversation <c>19:abc@thread.tacv2;messageid=X</c>. The router sees it as the
/// channel's conversation with thread <c>X</c>, as Slack's <c>channel</c> and <c>thread_ts</c>, so a reply in the thread of
/// a ticket's queue card is found by the card's thread link; and a message into that thread is sent to the threaded
/// conversation id again, which is what makes Teams show it in the thread (a <c>replyToId</c> alone does not).
/// </summary>
public static class TeamsThreads
{
    private const string Marker = ";messageid=";

    /// <summary>The channel's conversation id and the thread's root post id; the id itself and no thread when it names none.</summary>
    public static (string Conversation, string? Thread) Split(string conversationId)
    {
        var at = conversationId.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        return at <= 0 || at + Marker.Length >= conversationId.Length
            ? (conversationId, null)
            : (conversationId[..at], conversationId[(at + Marker.Length)..]);
    }

    /// <summary>
    /// True for the conversation id of a team's channel (<c>19:…@thread.tacv2</c>, or <c>@thread.skype</c> for older teams),
    /// with or without a thread; false for a personal chat (<c>a:…</c>) or a group chat (<c>19:…@thread.v2</c>).
    /// </summary>
    public static bool IsChannel(string conversationId) =>
        Split(conversationId).Conversation is var channel
        && channel.StartsWith("19:", StringComparison.Ordinal)
        && (channel.EndsWith("@thread.tacv2", StringComparison.OrdinalIgnoreCase) || channel.EndsWith("@thread.skype", StringComparison.OrdinalIgnoreCase));

    /// <summary>The conversation id of the thread under post <paramref name="thread"/> of a channel's conversation.</summary>
    public static string Threaded(string channelConversationId, string thread) =>
        Split(channelConversationId).Thread is null ? $"{channelConversationId}{Marker}{thread}" : channelConversationId;
}
