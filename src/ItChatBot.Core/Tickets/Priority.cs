namespace ItChatBot.Core.Tickets;

public static class Priority
{
    /// <summary>The most urgent priority.</summary>
    public const string Highest = "P1";

    public static readonly IReadOnlyList<string> All = [Highest, "P2", "P3", "P4"];

    public static bool IsValid(string? value) => value is not null && All.Contains(value);

    public static string Parse(string? value) =>
        value?.Trim().ToUpperInvariant() is { } normalized && IsValid(normalized)
            ? normalized
            : throw new DomainException($"'{value}' is not a priority; use one of {string.Join(", ", All)}.");
}
