namespace ItChatBot.Core.Conversations;

/// <summary>A command was malformed: says what was wrong and the correct form.</summary>
public sealed class UsageException(string problem, string usage) : Exception($"{problem} Use: {usage}")
{
    public string Problem { get; } = problem;

    public string Usage { get; } = usage;
}
