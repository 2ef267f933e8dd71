namespace ItChatBot.Core.Approvals;

/// <summary>
/// Who may approve a gated step: the requester's manager, members of a group, or either. Written in a
/// workflow as <c>approvers: manager</c>, <c>approvers: group:it-admins</c> or <c>approvers: manager, group:it-admins</c>.
/// <c>all-of:NAME</c> instead of <c>group:NAME</c> makes every member of the group approve, not any one of them.
/// </summary>
public sealed record ApproverSpec(bool Manager, string? Group, bool AllOf = false)
{
    public static ApproverSpec ManagerOnly { get; } = new(true, null);

    /// <summary>Parses the YAML form, or returns null with <paramref name="problem"/> set.</summary>
    public static ApproverSpec? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ManagerOnly;
        }

        var manager = false;
        var allOf = false;
        string? group = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "manager")
            {
                manager = true;
            }
            else if (part.StartsWith("group:", StringComparison.Ordinal) && part.Length > "group:".Length && group is null)
            {
                group = part["group:".Length..];
            }
            else if (part.StartsWith("all-of:", StringComparison.Ordinal) && part.Length > "all-of:".Length && group is null)
            {
                group = part["all-of:".Length..];
                allOf = true;
            }
            else
            {
                problem = $"'{part}' is not an approver; use manager, group:NAME (any one member), all-of:NAME (every member), or manager and one group separated by a comma.";
                return null;
            }
        }

        return new ApproverSpec(manager, group, allOf);
    }

    public override string ToString() => (Manager, Group) switch
    {
        (true, null) => "manager",
        (false, { } g) => $"{GroupWord}:{g}",
        (true, { } g) => $"manager, {GroupWord}:{g}",
        _ => "nobody",
    };

    private string GroupWord => AllOf ? "all-of" : "group";
}
