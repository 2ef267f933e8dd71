namespace ItChatBot.Core.Conversations;

/// <summary>Where a message lives: a channel (web, slack, teams), its conversation, and the thread inside it.</summary>
public sealed record ConversationRef(string Channel, string ConversationId, string? ThreadId = null)
{
    public ConversationRef InThread(string threadId) => this with { ThreadId = threadId };
}

public static class Channels
{
    public const string Web = "web";
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Cli = "cli";
}
