namespace ItChatBot.Core.Queues;

/// <summary>A support team's tiers (DESIGN §2), lowest first: what <c>/it escalate</c> and SLA escalation move a ticket between.</summary>
public static class Tiers
{
    private static readonly string[] Names = ["L1", "L2", "L3"];

    public static IReadOnlyList<string> All => Names;

    /// <summary>The tier <paramref name="value"/> names, in any case; null when it names none.</summary>
    public static string? Named(string? value) =>
        Array.Find(Names, tier => tier.Equals(value?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Where a tier stands, 0 for L1; -1 for one not known here (an imported history's), which is below them all.</summary>
    public static int Rank(string? tier) => tier is null ? -1 : Array.IndexOf(Names, tier);
}
