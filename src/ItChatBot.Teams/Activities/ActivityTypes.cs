namespace ItChatBot.Teams.Activities;

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Invoke = "invoke";
    public const string AdaptiveCardInvoke = "adaptiveCard/action";

    /// <summary>Types the Bot Framework defines that this bot does not act on: acknowledged, not stored.</summary>
    public static readonly IReadOnlySet<string> Ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "typing", "messageReaction", "installationUpdate", "event", "endOfConversation", "messageUpdate", "messageDelete",
        "contactRelationUpdate", "deleteUserData", "suggestion", "trace", "handoff", "command", "commandResult",
    };

    public static bool IsHandled(string type) =>
        type is Message or ConversationUpdate or Invoke;
}
