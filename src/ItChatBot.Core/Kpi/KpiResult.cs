using System.Text.Json.Serialization;

namespace ItChatBot.Core.Kpi;

/// <summary>DESIGN §6: the one JSON shape of every metric, for the API, the CLI and the cards alike.</summary>
public sealed class KpiResult
{
    public required string Metric { get; init; }
    public string? Team { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    /// <summary>Null means no data (never 0 or NaN).</summary>
    public double? Value { get; init; }

    /// <summary><c>ratio</c> (0–1), <c>hours</c>, <c>tickets</c>, <c>events</c> ...</summary>
    public required string Unit { get; init; }
    public int Count { get; init; }
    public List<KpiSegment> Segments { get; init; } = [];
    public KpiPrevious? Previous { get; init; }

    /// <summary>Which way the metric improves (<c>higher</c> or <c>lower</c>), or null when neither is better (<see cref="KpiDirection"/>).</summary>
    public string? Better => KpiDirection.Better(Metric);

    /// <summary>Metric-specific fields (median, p90, met, breached, trend ...), written beside the standard ones.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Extra { get; init; } = [];
}

public sealed record KpiSegment(string Key, double? Value, int Count)
{
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; init; }
}

public sealed record KpiPrevious(DateTimeOffset From, DateTimeOffset To, double? Value, int Count);
