namespace ItChatBot.Core.Workflows;

/// <summary>
/// One step of a workflow definition. <see cref="Settings"/> holds the kind's fields as written in the YAML
/// (templates such as <c>{{slots.application}}</c> are expanded at execution time).
/// </summary>
public sealed record WorkflowStep
{
    public required int Index { get; init; }

    /// <summary>The step's name in the file (<c>id:</c>), or <c>step-N</c>; outputs are addressed as <c>steps.ID.KEY</c>.</summary>
    public required string Id { get; init; }

    public required StepKind Kind { get; init; }

    /// <summary>Line of the step in its file, for error messages.</summary>
    public int Line { get; init; }

    /// <summary>Attempts after the first before the run fails (default 2).</summary>
    public int Retries { get; init; } = 2;

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public string? Get(string key) => Settings.TryGetValue(key, out var value) ? value : null;
}
