namespace ItChatBot.Teams.Activities;

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Invoke = "invoke";
    public const string AdaptiveCardInvoke = "adaptiveCard/action";

    public static bool IsHandled(string type) =>
        type is Message or ConversationUpdate or Invoke;

    /// <summary>
    /// Any other type (<c>typing</c>, <c>messageReaction</c>, <c>installationUpdate</c>, and types the channel adds
    /// later) is acknowledged and not stored: receivers must ignore unknown types (protocols/teams.md §2).
    /// </summary>
    public static bool IsIgnored(string? type) => !string.IsNullOrWhiteSpace(type) && !IsHandled(type);
}
