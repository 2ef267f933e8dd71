namespace ItChatBot.Core.Workflows;

/// <summary>The step kinds of DESIGN §2. The YAML spelling is the snake_case name (<c>grant_access</c>).</summary>
public enum StepKind
{
    Approval,
    Directory,
    GrantAccess,
    Http,
    Message,
    Resolve,
}

public static class StepKinds
{
    public static readonly IReadOnlyDictionary<string, StepKind> ByYamlName = new Dictionary<string, StepKind>(StringComparer.Ordinal)
    {
        ["approval"] = StepKind.Approval,
        ["directory"] = StepKind.Directory,
        ["grant_access"] = StepKind.GrantAccess,
        ["http"] = StepKind.Http,
        ["message"] = StepKind.Message,
        ["resolve"] = StepKind.Resolve,
    };

    public static string YamlName(this StepKind kind) => ByYamlName.First(pair => pair.Value == kind).Key;
}
