namespace ItChatBot.Automation.Understanding;

/// <summary>
/// Something a request can mean: a workflow (<see cref="Workflow"/> set) or a support category with no workflow,
/// which a human queue handles.
/// </summary>
public sealed record Intent(string Name, string Label, string Team, string Category, string? Workflow);

public sealed record IntentScore(Intent Intent, double Score);

/// <summary>What a request was understood as: intents ranked by confidence (0–1), the slots found, and by what (<c>classifier</c> or <c>llm</c>).</summary>
public sealed record Understood(IReadOnlyList<IntentScore> Ranked, IReadOnlyDictionary<string, string> Slots, string Source)
{
    public IntentScore? Top => Ranked.Count > 0 ? Ranked[0] : null;

    public double Confidence => Top?.Score ?? 0;
}
