namespace ItChatBot.Automation.Connectors;

/// <summary>An application in the catalog: what people call it, and the groups that give access to it.</summary>
public sealed record Application
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Other names people use ("gh" for GitHub); matched as whole words, case-insensitively.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The group whose members can use it.</summary>
    public required string Group { get; init; }

    /// <summary>The group that gives admin rights on it.</summary>
    public string? AdminGroup { get; init; }

    public IEnumerable<string> Names => Aliases.Prepend(Name).Prepend(Id);
}
