using System.Globalization;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Kpi;

/// <summary><c>/kpi tech @user [period:...]</c>: the technician view, for the team's leads and the technician themself.</summary>
public sealed class KpiTechVerb(TechnicianView view, IDirectory directory, SupportTeams teams) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "tech";

    public string Usage => $"/kpi tech [@user|@me] [period:{KpiPeriod.Forms}]";

    public string Summary => "A technician's figures against their role profile's targets, with a monthly trend (leads and the technician only).";

    public IReadOnlyList<string> Audience => [Roles.Lead, Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Nobody named is the one asking, as @me is: an agent's own view is "/kpi tech" (before: "Name the technician.").
        var who = words.FirstOrDefault(w => !w.Contains(':', StringComparison.Ordinal) || w.StartsWith("<@", StringComparison.Ordinal));
        var id = who is null ? turn.Person.Id : KpiArguments.PersonId(who, turn.Person.Id);
        var rest = string.Join(' ', words.Where(w => w != who));
        var request = KpiArguments.Parse("tech " + rest, turn.Now, teams);
        if (request.By is not null || request.Tech is not null)
        {
            throw new UsageException("The technician view takes only a person, a period and a team.", Usage);
        }

        var technician = await directory.FindAsync(id, cancellationToken);
        if (technician is { Teams.Count: 0 } && !technician.HasRole(Roles.Agent))
        {
            // Before: Erin's own "/kpi tech" showed "Technician view · Erin Employee (L1)" with nothing in it, and a lead asking
            // for her was refused as if she were someone else's technician.
            var whom = string.Equals(technician.Id, turn.Person.Id, StringComparison.OrdinalIgnoreCase) ? "You work" : $"{technician.DisplayName} works";
            turn.ReplyEphemeral(new Card
            {
                Title = "No technician view",
                Text = $"{whom} in no support team's queue, so there is no technician view. It is for the agents of a team's queue ({string.Join(", ", teams.All.Select(t => t.Name))}): name one with /kpi tech @user.",
                Context = $"Use: {Usage}",
            });
            return;
        }

        if (KpiAccess.WhyNotTechView(turn.Person, technician, id) is { } refusal)
        {
            turn.ReplyEphemeral(new Card { Title = "Technician view refused", Text = refusal, Context = $"Use: {Usage}" });
            return;
        }

        var figures = await view.ComputeAsync(id, request, cancellationToken);
        turn.ReplyEphemeral(TechCard.Render(figures));
    }
}

/// <summary><c>/kpi checkin @user note</c>: a lead records a check-in, stored with a snapshot of the technician's figures.</summary>
public sealed class KpiCheckinVerb(TechnicianView view, IDirectory directory, ICheckinStore store, SupportTeams teams) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "checkin";

    public string Usage => "/kpi checkin @user <note>";

    public string Summary => "Record a check-in with a technician; the note keeps a snapshot of their figures (leads only).";

    public IReadOnlyList<string> Audience => [Roles.Lead];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var space = arguments.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || arguments[(space + 1)..].Trim().Length == 0)
        {
            throw new UsageException("A check-in needs a person and a note.", Usage);
        }

        var id = KpiArguments.PersonId(arguments[..space]);
        var note = arguments[(space + 1)..].Trim();
        var technician = await directory.FindAsync(id, cancellationToken);
        if (technician is null)
        {
            throw new UsageException($"There is nobody called '{id}' in the directory.", Usage);
        }

        // Only a lead of the technician's team (or an admin) records check-ins, not the technician.
        if (string.Equals(turn.Person.Id, id, StringComparison.OrdinalIgnoreCase) || KpiAccess.WhyNotTechView(turn.Person, technician, id) is not null)
        {
            turn.ReplyEphemeral(new Card { Title = "Check-in refused", Text = $"Only {technician.DisplayName}'s team leads can record a check-in.", Context = $"Use: {Usage}" });
            return;
        }

        var request = KpiArguments.Parse("tech", turn.Now, teams);
        var figures = await view.ComputeAsync(id, request, cancellationToken);
        figures.Remove("checkins");
        figures.Remove("trend");
        await store.AddAsync(new Checkin(NewId.Next(), id, turn.Person.Id, turn.Now, note, KpiJson.Serialize(figures)), cancellationToken);
        turn.ReplyEphemeral(new Card
        {
            Title = $"Check-in recorded for {technician.DisplayName}",
            Text = note,
            Context = $"{turn.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · with a snapshot of the last 30 days",
        });
    }
}

/// <summary>The technician view as a card.</summary>
public static class TechCard
{
    /// <summary>
    /// A monthly trend in words, each month named by the day it ends ("6 Nov 51.7% → 6 Dec 60.1%"). The months before the
    /// first with data are left out (someone newer than the window), and said so; none with data is "no data".
    /// </summary>
    public static string Trend(IReadOnlyList<Dictionary<string, object?>> months, string key, Func<double?, string> format)
    {
        var first = months.ToList().FindIndex(m => m[key] is double);
        if (first < 0)
        {
            return Fmt.NoData;
        }

        var shown = string.Join(" → ", months.Skip(first).Select(m =>
            $"{((DateTimeOffset)m["to"]!).ToString("d MMM", CultureInfo.InvariantCulture)} {format(m[key] as double?)}"));
        return first == 0 ? shown : $"{shown} (no data in the {first} month{(first == 1 ? "" : "s")} before)";
    }

    public static Card Render(Dictionary<string, object?> v)
    {
        string Target(object? figure, Func<double?, string> fmt) => figure is Dictionary<string, object?> f
            ? $"{fmt(f["value"] as double?)} (target {(f.GetValueOrDefault("target") is double t ? fmt(t) : "none")})"
            : Fmt.NoData;
        var mttr = (Dictionary<string, object?>)v["mttr"]!;
        var rows = ((IEnumerable<Dictionary<string, object?>>)mttr["segments"]!)
            .Select(s => (IReadOnlyList<string>)[$"MTTR {s["key"]}", Fmt.Hours(s["value"] as double?), s["target"] is double t ? Fmt.Hours(t) : "none", $"{s["count"]}"]).ToList();
        foreach (var c in (IEnumerable<Dictionary<string, object?>>)v["resolvedByCategory"]!)
        {
            rows.Add([$"category {c["key"]}", $"FCR {Fmt.Pct(c["fcr"] as double?)}", "", $"{c["count"]}"]);
        }

        var trend = ((IEnumerable<Dictionary<string, object?>>)v["trend"]!).ToList();
        string Trend(string key, Func<double?, string> fmt) => TechCard.Trend(trend, key, fmt);
        var team = v["teamContext"] as Dictionary<string, object?>;
        var checkins = ((IEnumerable<Dictionary<string, object?>>)v["checkins"]!).Take(5)
            .Select(c => $"• {((DateTimeOffset)c["at"]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {c["lead"]}: {c["note"]}").ToList();
        return new Card
        {
            Title = $"Technician view · {v["name"] ?? v["tech"]} ({v["roleProfile"]})",
            Text = $"*Resolved:* {((Dictionary<string, object?>)v["resolved"]!)["value"]}\n*Monthly FCR:* {Trend("fcr", Fmt.Pct)}\n*Monthly MTTR:* {Trend("mttr", Fmt.Hours)}"
                + (checkins.Count > 0 ? "\n*Check-ins:*\n" + string.Join('\n', checkins) : ""),
            Fields =
            [
                new("FCR", Target(v["fcr"], Fmt.Pct)),
                new("CSAT", Target(v["csat"], Fmt.Pct)),
                new("CSAT on tickets they escalated", Fmt.Pct(((Dictionary<string, object?>)v["csatOnEscalated"]!)["value"] as double?)),
                new("SLA compliance", Target(v["sla"], Fmt.Pct)),
                new("Escalation rate (made ÷ assigned)", Target(v["escalationRate"], Fmt.Pct)),
                new("Escalations made / received", $"{v["escalationsMade"]} / {v["escalationsReceived"]}"),
            ],
            Table = new CardTable(["figure", "value", "target", "count"], rows),
            Context = team is null ? null : $"Team {team["team"]} context only, not this technician's score: backlog {Fmt.Number(Convert.ToDouble(team["backlog"] ?? double.NaN, CultureInfo.InvariantCulture) is var b && double.IsNaN(b) ? null : b)}, SLA {Fmt.Pct(team["sla"] as double?)}",
        };
    }
}
