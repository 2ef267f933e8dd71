namespace ItChatBot.Core.Kpi;

/// <summary>
/// Which way each metric improves, so a card can say whether a change against the previous period is better or worse
/// instead of leaving the reader to remember that a rising MTTR is bad and a rising FCR good.
/// </summary>
public static class KpiDirection
{
    public const string Higher = "higher";
    public const string Lower = "lower";

    /// <summary>
    /// <see cref="Higher"/> or <see cref="Lower"/> when one is better; null for a count that is neither (volume, access
    /// changes), and for the summary, whose own value is the volume.
    /// </summary>
    public static string? Better(string metric) => metric switch
    {
        "fcr" or "sla" or "csat" or "automation" or "deflection" or "approvals" or "savings" => Higher,
        "mttr" or "frt" or "escalation" or "backlog" or "workflows" or "overrides" => Lower,
        _ => null,
    };

    /// <summary>"better", "worse", or null when the metric has no better side, either period has no data, or nothing changed.</summary>
    public static string? Verdict(string metric, double? now, double? before)
    {
        if (Better(metric) is not { } better || now is not { } n || before is not { } b || Math.Abs(n - b) <= Fmt.Epsilon)
        {
            return null;
        }

        return (n > b) == (better == Higher) ? "better" : "worse";
    }
}
