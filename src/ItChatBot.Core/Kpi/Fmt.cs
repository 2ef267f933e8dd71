using System.Globalization;

namespace ItChatBot.Core.Kpi;

/// <summary>Numbers as cards show them, culture-independent; no data is "no data".</summary>
public static class Fmt
{
    public const string NoData = "no data";

    public static string Pct(double? ratio) => ratio is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : NoData;

    public static string Hours(double? hours) => hours is { } h ? h.ToString("0.##", CultureInfo.InvariantCulture) + " h" : NoData;

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : NoData;

    public static string Value(double? value, string unit) => unit switch
    {
        "ratio" => Pct(value),
        "hours" => Hours(value),
        _ => Number(value),
    };

    /// <summary>How far apart two values may be and still count as unchanged.</summary>
    public const double Epsilon = 1e-9;

    /// <summary>↑ ↓ → against the previous period, or nothing when either side has no data.</summary>
    public static string Arrow(double? now, double? before) => (now, before) switch
    {
        ({ } n, { } b) when n > b + Epsilon => "↑",
        ({ } n, { } b) when n < b - Epsilon => "↓",
        ({ }, { }) => "→",
        _ => "",
    };

    /// <summary>The arrow, followed by "better" or "worse" where <paramref name="metric"/> has a better side ("↑ better").</summary>
    public static string Trend(string metric, double? now, double? before) =>
        KpiDirection.Verdict(metric, now, before) is { } verdict ? $"{Arrow(now, before)} {verdict}" : Arrow(now, before);
}
