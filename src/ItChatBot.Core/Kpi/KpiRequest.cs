namespace ItChatBot.Core.Kpi;

/// <summary>One question to the KPI engine, whichever door it came through (chat, API, CLI).</summary>
public sealed record KpiRequest(string Metric, string? Team, DateTimeOffset From, DateTimeOffset To, string? By = null, string? Tech = null)
{
    public static readonly IReadOnlyList<string> Metrics =
    [
        "summary", "mttr", "frt", "fcr", "sla", "csat", "escalation", "backlog", "volume", "automation", "deflection",
        "workflows", "approvals", "overrides", "access", "savings", "insights", "tech",
    ];

    /// <summary>How the period was asked for; decides the previous period (<see cref="KpiPeriod.Previous"/>).</summary>
    public KpiPeriodKind PeriodKind { get; init; }

    public static readonly IReadOnlyList<string> Dimensions = ["priority", "category", "team", "channel", "tech", "outcome"];
}
