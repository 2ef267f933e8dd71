namespace ItChatBot.Core.Workflows;

/// <summary>A workflow as defined in one YAML file (DESIGN §2): who owns it, how it is recognised, what it does.</summary>
public sealed record WorkflowDefinition
{
    public required string Id { get; init; }

    public string Name { get; init; } = "";

    public required string Team { get; init; }

    public required string Category { get; init; }

    public string Priority { get; init; } = "P3";

    /// <summary>The intent names that start this workflow; the classifier learns them from <see cref="Examples"/>.</summary>
    public IReadOnlyList<string> Intents { get; init; } = [];

    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>Words or phrases that, when present, add weight to this workflow's intent.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>
    /// When true, the workflow is chosen only for a request that names one of its <see cref="Keywords"/>: its examples
    /// share their objects with requests for other things ("how do I enroll my new phone" and "I need a new phone").
    /// </summary>
    public bool KeywordsRequired { get; init; }

    /// <summary>
    /// Words or phrases that mean a request is for something else, however close its wording ("reset my MFA" is not a
    /// password reset): when one is present, this workflow is not chosen.
    /// </summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>
    /// The application (an id of the catalog) a request means when it names the person's own computer, or says "local
    /// admin", and no application: "admin rights on my laptop for 2 hours" is local admin, which a deployment grants through
    /// a group its device management reads. Null: such a request is asked which application, as any request without one.
    /// </summary>
    public string? DeviceApplication { get; init; }

    /// <summary>Slot name → <c>required</c> or <c>optional</c> (<c>application</c>, <c>duration</c>, <c>device</c>).</summary>
    public IReadOnlyDictionary<string, string> Slots { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<WorkflowStep> Steps { get; init; } = [];

    /// <summary>The file it came from, for error messages.</summary>
    public string SourceFile { get; init; } = "";

    public bool IsRequired(string slot) => Slots.TryGetValue(slot, out var how) && how == "required";
}
