namespace ItChatBot.Core.Kpi;

/// <summary>
/// DESIGN §4 paired reading: MTTR beside FCR, SLA compliance beside CSAT, said in words on the summary card.
/// "Fast" means the mean time to resolve did not rise against the previous period; with no previous MTTR, only FCR is read.
/// </summary>
public static class PairedReading
{
    public static Dictionary<string, object?> Describe(KpiResult mttr, KpiResult fcr, KpiResult sla, KpiResult csat, PairedReadingOptions o) => new()
    {
        ["mttrFcr"] = SpeedAndRework(mttr, fcr, o),
        ["slaCsat"] = DeadlinesAndSatisfaction(sla, csat, o),
    };

    public static string SpeedAndRework(KpiResult mttr, KpiResult fcr, PairedReadingOptions o)
    {
        if (mttr.Value is not { } now || fcr.Value is not { } first)
        {
            return "Not enough resolved tickets to read MTTR beside FCR.";
        }

        var high = first >= o.FcrHigh;
        var pct = Fmt.Pct(first);
        if (mttr.Previous?.Value is not { } before)
        {
            // Nothing to be faster than: "resolving as fast or faster" (what it said) compared with a period with no tickets.
            return high
                ? $"{pct} resolved at first contact; no previous period to tell whether resolving got faster."
                : $"Only {pct} resolved at first contact; look at reopens and escalations. No previous period to tell whether resolving got faster.";
        }

        var fast = now <= before;
        return (fast, high) switch
        {
            (true, true) => $"Efficient: resolving as fast or faster, and {pct} resolved at first contact.",
            (true, false) => $"Speed bought with rework: resolving faster, but only {pct} resolved at first contact.",
            (false, true) => $"Thorough but slower: {pct} resolved at first contact while MTTR rose.",
            (false, false) => $"Slower with rework: MTTR rose and only {pct} resolved at first contact; look at reopens and escalations.",
        };
    }

    public static string DeadlinesAndSatisfaction(KpiResult sla, KpiResult csat, PairedReadingOptions o)
    {
        if (sla.Value is not { } onTime || csat.Value is not { } happy)
        {
            return "Not enough SLA outcomes or survey answers to read SLA beside CSAT.";
        }

        return (onTime >= o.SlaHigh, happy >= o.CsatHigh) switch
        {
            (true, true) => $"On time and appreciated: {Fmt.Pct(onTime)} within SLA, CSAT {Fmt.Pct(happy)}.",
            (true, false) => $"On time but not satisfying: {Fmt.Pct(onTime)} within SLA, yet CSAT only {Fmt.Pct(happy)}; the answers may close tickets without solving them.",
            (false, true) => $"Appreciated despite delays: CSAT {Fmt.Pct(happy)} with only {Fmt.Pct(onTime)} within SLA.",
            (false, false) => $"Late and noticed: {Fmt.Pct(onTime)} within SLA and CSAT {Fmt.Pct(happy)}.",
        };
    }
}
