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

    /// <summary>↑ ↓ → against the previous period, or nothing when either side has no data.</summary>
    public static string Arrow(double? now, double? before) => (now, before) switch
    {
        ({ } n, { } b) when n > b + 1e-9 => "↑",
        ({ } n, { } b) when n < b - 1e-9 => "↓",
        ({ }, { }) => "→",
        _ => "",
    };
}
