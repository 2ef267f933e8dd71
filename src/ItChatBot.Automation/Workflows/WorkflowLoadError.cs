namespace ItChatBot.Automation.Workflows;

/// <summary>What is wrong with a workflow file, and where: shown at start-up so the author can fix it.</summary>
public sealed record WorkflowLoadError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
