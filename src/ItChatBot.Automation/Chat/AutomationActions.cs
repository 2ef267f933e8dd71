namespace ItChatBot.Automation.Chat;

/// <summary>The action ids of the automation's buttons.</summary>
public static class AutomationActions
{
    public const string Solved = "kb.solved";
    public const string OpenTicket = "kb.ticket";
    public const string PickIntent = "intent.pick";
    public const string SomethingElse = "intent.other";
    public const string PickApplication = "intent.app";

    public static string Value(string pendingId, string choice) => $"{pendingId}|{choice}";

    public static (string PendingId, string? Choice) Parse(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (value, null) : (value[..bar], value[(bar + 1)..]);
    }
}
