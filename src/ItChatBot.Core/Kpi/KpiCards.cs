using System.Globalization;
using ItChatBot.Core.Cards;

namespace ItChatBot.Core.Kpi;

/// <summary>The KPI cards (DESIGN §4 "every card shows the previous period beside the current one").</summary>
public static class KpiCards
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["summary"] = "KPI summary",
        ["mttr"] = "Mean time to resolve",
        ["frt"] = "First response time",
        ["fcr"] = "First contact resolution",
        ["sla"] = "SLA compliance",
        ["csat"] = "CSAT",
        ["escalation"] = "Escalation rate",
        ["backlog"] = "Backlog",
        ["volume"] = "Volume",
        ["automation"] = "AI resolution rate",
        ["deflection"] = "Deflection rate",
        ["workflows"] = "Workflow failure rate",
        ["approvals"] = "Approval enforcement",
        ["overrides"] = "Override rate",
        ["access"] = "Access audit",
        ["savings"] = "Savings",
        ["insights"] = "Insights",
    };

    /// <summary>The period and, when the card compares with one, the previous period (the JSON's <c>previous.from/to</c>).</summary>
    public static string Period(KpiResult r, TimeZoneInfo zone) =>
        $"{Span(r.From, r.To, zone)} ({zone.Id})" + (r.Previous is { } p ? $" · previous {Span(p.From, p.To, zone)}" : "");

    private static string Span(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone) =>
        $"{TimeZoneInfo.ConvertTime(from, zone):yyyy-MM-dd HH:mm} – {TimeZoneInfo.ConvertTime(to, zone):yyyy-MM-dd HH:mm}";

    private static string Scope(KpiResult r) => (r.Team ?? "All teams") + (r.Extra.TryGetValue("tech", out var t) ? $" · tech {t}" : "");

    /// <summary>"72% ↑ better (previous 65%; over 120)".</summary>
    public static string Line(KpiResult r) =>
        $"{Fmt.Value(r.Value, r.Unit)} {Fmt.Trend(r.Metric, r.Value, r.Previous?.Value)} (previous {Fmt.Value(r.Previous?.Value, r.Unit)}; over {r.Count})".Replace("  ", " ", StringComparison.Ordinal);

    /// <param name="people">
    /// Names by person id (<see cref="PeopleIn"/>), for the people a card lists: technicians in a <c>by:tech</c> table and
    /// the requesters and approvers of the access audit. An id not in it, or with none given, is shown as it is.
    /// </param>
    public static Card Metric(KpiResult r, TimeZoneInfo zone, CardImage? chart = null, IReadOnlyDictionary<string, string>? people = null)
    {
        return r.Metric switch
        {
            "summary" => Summary(r, zone, chart),
            "insights" => Insights(r, zone),
            "savings" => Savings(r, zone),
            "backlog" => Backlog(r, zone, chart, people),
            _ => Generic(r, zone, chart, people),
        };
    }

    /// <summary>The person ids <see cref="Metric"/> shows for <paramref name="r"/>, to be named: technicians of a <c>by:tech</c> table, the access audit's requesters and approvers.</summary>
    public static IReadOnlyList<string> PeopleIn(KpiResult r)
    {
        var ids = new List<string>();
        if (BySegmentsArePeople(r))
        {
            ids.AddRange(r.Segments.Select(s => s.Key).Where(k => k != Unassigned));
        }

        if (r.Extra.GetValueOrDefault("rows") is IEnumerable<Dictionary<string, object?>> access)
        {
            ids.AddRange(access.SelectMany(a => new[] { a.GetValueOrDefault("requester"), a.GetValueOrDefault("approver") }).OfType<string>());
        }

        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The segment of tickets nobody was assigned, in a <c>by:tech</c> breakdown.</summary>
    public const string Unassigned = "(unassigned)";

    private static bool BySegmentsArePeople(KpiResult r) => r.Extra.GetValueOrDefault("by") is "tech" or "assignee";

    private static string Person(object? id, IReadOnlyDictionary<string, string>? people) =>
        id is string s ? people?.GetValueOrDefault(s) ?? s : "-";

    private static Card Generic(KpiResult r, TimeZoneInfo zone, CardImage? chart, IReadOnlyDictionary<string, string>? people)
    {
        var fields = new List<CardField>
        {
            new("This period", Fmt.Value(r.Value, r.Unit) + " " + Fmt.Trend(r.Metric, r.Value, r.Previous?.Value)),
            new("Previous period", Fmt.Value(r.Previous?.Value, r.Unit)),
            new("Counted over", $"{r.Count} (previous {r.Previous?.Count ?? 0})"),
        };
        foreach (var key in new[] { "median", "p90" })
        {
            if (r.Extra.TryGetValue(key, out var v))
            {
                fields.Add(new(key, Fmt.Value(v as double?, r.Unit)));
            }
        }

        if (r.Extra.TryGetValue("businessHours", out var bh) && bh is Dictionary<string, object?> b)
        {
            fields.Add(new("Business hours (mean / median / p90)", $"{Fmt.Hours(b["mean"] as double?)} / {Fmt.Hours(b["median"] as double?)} / {Fmt.Hours(b["p90"] as double?)}", false));
        }

        if (r.Extra.TryGetValue("response", out var resp) && resp is Dictionary<string, object?> response)
        {
            fields.Add(new("First-response SLA", $"{Fmt.Pct(response["value"] as double?)} over {response["count"]}"));
        }

        if (r.Extra.TryGetValue("responseRate", out var rate))
        {
            fields.Add(new("Survey response rate", Fmt.Pct(rate as double?)));
        }

        if (r.Extra.TryGetValue("overdueRevocations", out var overdue))
        {
            fields.Add(new("Overdue revocations", $"{overdue}"));
        }

        if (r.Extra.TryGetValue("latencyMedianHours", out var latency))
        {
            fields.Add(new("Approval latency (median)", Fmt.Hours(latency as double?)));
            fields.Add(new("Decided / denied / expired", $"{r.Extra.GetValueOrDefault("decided")} / {r.Extra.GetValueOrDefault("denied")} / {r.Extra.GetValueOrDefault("expired")}"));
            fields.Add(new("Gated actions without an approval", $"{r.Extra.GetValueOrDefault("unapproved")}"));
        }

        fields.AddRange(Counts(r));
        return new Card
        {
            Title = $"{Names.GetValueOrDefault(r.Metric, r.Metric)} · {Scope(r)}",
            Text = r.Value is null ? "*no data* for this period." : $"*{Fmt.Value(r.Value, r.Unit)}* {Fmt.Trend(r.Metric, r.Value, r.Previous?.Value)}",
            Fields = fields,
            Table = r.Segments.Count > 0 ? Segments(r, people) : r.Extra.GetValueOrDefault("rows") is IEnumerable<Dictionary<string, object?>> access ? AccessRows([.. access], people) : null,
            Context = Period(r, zone),
            Image = chart,
        };
    }

    /// <summary>
    /// The counts behind a rate, from the result's own fields: "FCR 71%" asks "of how many?", and DESIGN §4 names several of
    /// them (the automation counts beside their shares, CSAT's mean score, the runs started). They were in the JSON only:
    /// <c>/kpi automation</c> showed the AI resolution rate and not one count.
    /// </summary>
    private static IEnumerable<CardField> Counts(KpiResult r)
    {
        bool Has(params string[] keys) => keys.All(r.Extra.ContainsKey);
        string N(string key) => Convert.ToString(r.Extra[key], CultureInfo.InvariantCulture) ?? "0";
        switch (r.Metric)
        {
            case "fcr" when Has("firstContact"):
                yield return new("Resolved at first contact", $"{N("firstContact")} of {r.Count}");
                break;
            case "sla" when Has("met", "breached"):
                yield return new("Met / breached", $"{N("met")} / {N("breached")}");
                break;
            case "csat" when Has("meanScore", "satisfied", "sent"):
                yield return new("Mean score", r.Extra["meanScore"] is double mean ? $"{Fmt.Number(mean)} of 5" : Fmt.NoData);
                yield return new("Satisfied (4 or 5)", $"{N("satisfied")} of {r.Count} answers; {N("sent")} surveys sent", false);
                break;
            case "escalation" when Has("escalated"):
                yield return new("Escalated", $"{N("escalated")} of {r.Count}");
                break;
            case "automation" when Has("aiResolved", "aiAssisted", "unassisted"):
                yield return new("AI-resolved / AI-assisted / unassisted", AutomationShares(r), false);
                break;
            case "deflection" when Has("deflected", "created"):
                yield return new("Deflected / tickets created", $"{N("deflected")} / {N("created")}");
                break;
            case "workflows" when Has("started", "ended", "completed", "failed"):
                yield return new("Runs started", N("started"));
                yield return new("Ended: completed / failed", $"{N("completed")} / {N("failed")} of {N("ended")}");
                break;
            case "overrides" when Has("overridden"):
                yield return new("Runs with an override", $"{N("overridden")} of {r.Count}");
                break;
        }
    }

    /// <summary>"83 (14.3%) / 10 (1.7%) / 487 (84%)": the automation result's counts with their shares.</summary>
    private static string AutomationShares(KpiResult automation)
    {
        string Share(string key) => automation.Extra.TryGetValue(key, out var v) && v is Dictionary<string, object?> d ? $"{d["count"]} ({Fmt.Pct(d["share"] as double?)})" : Fmt.NoData;
        return $"{Share("aiResolved")} / {Share("aiAssisted")} / {Share("unassisted")}";
    }

    /// <summary>At most this many categories in the backlog card's table, those that grew most first.</summary>
    public const int MaxBacklogCategories = 10;

    /// <summary>
    /// The backlog as DESIGN §4 reads it: the open count at the period's end, its weekly trend, age buckets, the backlog ratio,
    /// and which categories grow.
    /// </summary>
    private static Card Backlog(KpiResult r, TimeZoneInfo zone, CardImage? chart, IReadOnlyDictionary<string, string>? people)
    {
        var trend = (IEnumerable<Dictionary<string, object?>>)r.Extra["trend"]!;
        var ages = (Dictionary<string, object?>)r.Extra["ageBuckets"]!;
        var categories = ((IEnumerable<Dictionary<string, object?>>)r.Extra["categories"]!).ToList();
        var weeks = trend.Select(w => $"{w["open"]}").ToList();
        var lastChange = trend.LastOrDefault()?["change"] is int change ? $" ({Signed(change)} in the last week)" : "";
        var fields = new List<CardField>
        {
            new("This period", $"{Fmt.Value(r.Value, r.Unit)} {Fmt.Trend(r.Metric, r.Value, r.Previous?.Value)}".TrimEnd()),
            new("Previous period", Fmt.Value(r.Previous?.Value, r.Unit)),
            new("Open at each week's end", weeks.Count == 0 ? Fmt.NoData : string.Join(" → ", weeks) + lastChange, Short: false),
            new("Age", $"under 10 days: {ages["under10Days"]} · 10–30 days: {ages["days10To30"]} · over 30 days: {ages["over30Days"]}", Short: false),
            new("Backlog ratio", r.Extra["backlogRatio"] is double ratio ? $"{Fmt.Number(ratio)} days of volume" : Fmt.NoData),
            new("Average daily volume", Fmt.Number(r.Extra["averageDailyVolume"] as double?)),
        };
        var shown = categories.Take(MaxBacklogCategories).Select(c => (IReadOnlyList<string>)[$"{c["category"]}", $"{c["open"]}", Signed((int)c["change"]!), Signed((int)c["growth"]!)]).ToList();
        if (categories.Count > MaxBacklogCategories)
        {
            shown.Add([$"…and {categories.Count - MaxBacklogCategories} more", "", "", ""]);
        }

        return new Card
        {
            Title = $"Backlog · {Scope(r)}",
            Text = r.Value is null ? "*no data* for this period." : $"*{Fmt.Value(r.Value, r.Unit)}* open {Fmt.Trend(r.Metric, r.Value, r.Previous?.Value)}".TrimEnd(),
            Fields = fields,
            // A breakdown asked for (by:priority, by:category …) is the table; otherwise the categories' growth.
            Table = r.Segments.Count > 0 ? Segments(r, people)
                : shown.Count == 0 ? null
                : new CardTable(["category", "open", "last week", $"over {weeks.Count} weeks"], shown),
            Context = Period(r, zone),
            Image = chart,
        };
    }

    private static string Signed(int n) => n > 0 ? $"+{n}" : n < 0 ? $"−{-n}" : "±0";

    /// <summary>At most this many access events on the access audit card; the access CSV export has them all.</summary>
    public const int MaxAccessRows = 15;

    /// <summary>The access audit's events: overdue revocations first (DESIGN §4), then the newest.</summary>
    private static CardTable AccessRows(List<Dictionary<string, object?>> rows, IReadOnlyDictionary<string, string>? people)
    {
        static string Time(object? at) => at is DateTimeOffset t ? t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "-";
        var ordered = rows.Where(a => a["overdue"] is true).Concat(rows.Where(a => a["overdue"] is not true).Reverse());
        var shown = ordered.Take(MaxAccessRows).Select(a => (IReadOnlyList<string>)
        [
            $"{a["ticket"]}", a["event"] is "AccessGranted" ? "granted" : "revoked", $"{a["resource"]}", Person(a["requester"], people),
            Person(a["approver"], people), Time(a["at"]), Time(a["expiresAt"]), a["overdue"] is true ? "overdue: not revoked" : $"{a["outcome"] ?? "-"}",
        ]).ToList();
        if (rows.Count > MaxAccessRows)
        {
            shown.Add([$"…and {rows.Count - MaxAccessRows} more (the access CSV export has them all)", "", "", "", "", "", "", ""]);
        }

        return new CardTable(["ticket", "event", "resource", "requester", "approver", "at", "expires", "outcome"], shown);
    }

    private static CardTable Segments(KpiResult r, IReadOnlyDictionary<string, string>? people) => new(
        [r.Extra.TryGetValue("by", out var by) ? $"{by}" : "segment", "value", "count"],
        [.. r.Segments.Select(s => (IReadOnlyList<string>)[BySegmentsArePeople(r) ? Person(s.Key, people) : s.Key, Fmt.Value(s.Value, r.Unit), $"{s.Count}"])]);

    private static Card Summary(KpiResult r, TimeZoneInfo zone, CardImage? chart)
    {
        var metrics = (List<KpiResult>)r.Extra["metrics"]!;
        var reading = (Dictionary<string, object?>)r.Extra["reading"]!;
        KpiResult M(string name) => metrics.First(m => m.Metric == name);
        var mttr = M("mttr");
        var automation = M("automation");
        var rows = mttr.Segments.Select(s => (IReadOnlyList<string>)[$"MTTR {s.Key}", Fmt.Hours(s.Value), $"{s.Count}"]).ToList();
        rows.Add(["MTTR all priorities", Fmt.Hours(mttr.Value), $"{mttr.Count}"]);
        return new Card
        {
            Title = $"KPI summary · {Scope(r)}",
            Text = $"*MTTR with FCR:* {reading["mttrFcr"]}\n*SLA with CSAT:* {reading["slaCsat"]}",
            Fields =
            [
                new("FCR", Line(M("fcr"))),
                new("SLA compliance", Line(M("sla"))),
                new("CSAT", Line(M("csat"))),
                new("Escalation rate", Line(M("escalation"))),
                new("Backlog", Line(M("backlog"))),
                new("AI resolution rate", Line(automation)),
                new("AI-resolved / AI-assisted / unassisted", AutomationShares(automation), false),
                new("Volume", Line(r)),
            ],
            Table = new CardTable(["MTTR per priority", "hours", "resolved"], rows),
            Context = Period(r, zone),
            Image = chart,
        };
    }

    private static Card Insights(KpiResult r, TimeZoneInfo zone)
    {
        var next = (IEnumerable<Dictionary<string, object?>>)r.Extra["automateNext"]!;
        var spikes = (IEnumerable<Dictionary<string, object?>>)r.Extra["spikes"]!;
        var growing = (IEnumerable<Dictionary<string, object?>>)r.Extra["growingBacklog"]!;
        var lines = new List<string> { "*What to automate next* (unassisted resolutions):" };
        lines.AddRange(next.Select(n => $"• {n["category"]}: {n["unassisted"]}"));
        lines.Add("*Volume spikes* this week:");
        lines.AddRange(spikes.Any() ? spikes.Select(s => $"• {s["category"]}: {s["thisWeek"]} (threshold {Fmt.Number(Convert.ToDouble(s["threshold"], System.Globalization.CultureInfo.InvariantCulture))})") : ["• none"]);
        lines.Add("*Growing backlog categories:*");
        lines.AddRange(growing.Any() ? growing.Select(g => $"• {g["category"]}: {g["open"]} open (+{g["growth"]})") : ["• none"]);
        return new Card { Title = $"Insights · {Scope(r)}", Text = string.Join('\n', lines), Context = Period(r, zone) };
    }

    private static Card Savings(KpiResult r, TimeZoneInfo zone) => new()
    {
        Title = $"Savings · {Scope(r)}",
        Text = r.Value is null ? "*no data*: no AI-resolved tickets in this period."
            : $"*{Fmt.Hours(r.Value)}* saved by {r.Count} AI-resolved tickets ≈ *{r.Extra["cost"]} {r.Extra["currency"]}* at {r.Extra["hourlyRate"]}/h",
        Fields = [new("Previous period", Fmt.Hours(r.Previous?.Value)), new("AI-resolved", $"{r.Count} (previous {r.Previous?.Count ?? 0})")],
        Context = Period(r, zone),
    };
}
