using ItChatBot.Core.Directory;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// DESIGN §4 technician view: the technician's own figures (tickets whose assignee they are), each beside the
/// target of their role profile, a monthly trend, escalations made and received apart, and the team's outcomes
/// as context only. Access (leads of the team and the technician) is checked by the door that asks.
/// </summary>
public sealed class TechnicianView(KpiEngine engine, IDirectory directory, IOptions<KpiOptions> options, ICheckinStore? checkins = null)
{
    public async Task<Dictionary<string, object?>> ComputeAsync(string technician, KpiRequest scope, CancellationToken cancellationToken)
    {
        var person = await directory.FindAsync(technician, cancellationToken);
        var teamName = scope.Team ?? person?.Teams.FirstOrDefault();
        var o = options.Value;
        var profileName = o.Technicians.GetValueOrDefault(technician) ?? o.DefaultRoleProfile;
        var profile = o.RoleProfiles.GetValueOrDefault(profileName) ?? new RoleProfile();
        var notes = checkins is null ? [] : await checkins.ListAsync(technician, cancellationToken);
        var view = await engine.Index.QueryAsync(ix =>
        {
            var now = engine.Clock.GetUtcNow();
            var own = scope with { Team = null, Tech = technician, By = null };
            KpiResult M(string metric, string? by = null) => engine.Compute(ix, own with { Metric = metric, By = by }, now);
            var mttr = M("mttr", "priority");
            var fcr = M("fcr", "category");
            var csat = M("csat");
            var sla = M("sla", "priority");
            var (made, received, assigned, csatEscalated) = Escalations(ix, technician, scope);
            var trend = KpiSeries.Buckets(scope.To.AddMonths(-Math.Clamp(o.TrendMonths, 1, 24)), scope.To, "month").Select(b =>
            {
                var month = own with { From = b.From, To = b.To };
                KpiResult T(string metric) => engine.Compute(ix, month with { Metric = metric }, now);
                return new Dictionary<string, object?>
                {
                    ["from"] = b.From,
                    ["to"] = b.To,
                    ["resolved"] = T("mttr").Count,
                    ["mttr"] = T("mttr").Value,
                    ["fcr"] = T("fcr").Value,
                    ["csat"] = T("csat").Value,
                    ["sla"] = T("sla").Value,
                };
            }).ToList();
            var team = teamName is null ? null : scope with { Team = teamName, Tech = null, By = null };
            return new Dictionary<string, object?>
            {
                ["metric"] = "tech",
                ["tech"] = technician,
                ["name"] = person?.DisplayName,
                ["roleProfile"] = profileName,
                ["from"] = scope.From,
                ["to"] = scope.To,
                ["resolved"] = new Dictionary<string, object?> { ["value"] = mttr.Count, ["previous"] = mttr.Previous?.Count },
                ["mttr"] = new Dictionary<string, object?>
                {
                    ["value"] = mttr.Value,
                    ["unit"] = "hours",
                    ["count"] = mttr.Count,
                    ["segments"] = mttr.Segments.Select(s => new Dictionary<string, object?>
                    {
                        ["key"] = s.Key, ["value"] = s.Value, ["count"] = s.Count, ["target"] = profile.MttrHours.TryGetValue(s.Key, out var h) ? h : null,
                    }).ToList(),
                },
                ["resolvedByCategory"] = fcr.Segments.Select(s => new Dictionary<string, object?> { ["key"] = s.Key, ["count"] = s.Count, ["fcr"] = s.Value }).ToList(),
                ["fcr"] = Figure(fcr, profile.Fcr),
                ["csat"] = Figure(csat, profile.Csat),
                ["csatOnEscalated"] = new Dictionary<string, object?> { ["value"] = csatEscalated.Value, ["count"] = csatEscalated.Count, ["unit"] = "ratio" },
                ["sla"] = Figure(sla, profile.SlaCompliance),
                ["escalationsMade"] = made,
                ["escalationsReceived"] = received,
                ["assigned"] = assigned,
                ["escalationRate"] = new Dictionary<string, object?>
                {
                    ["value"] = Stats.Round(Stats.Ratio(made, assigned)), ["unit"] = "ratio", ["count"] = assigned, ["target"] = profile.EscalationRate,
                },
                ["trend"] = trend,
                ["teamContext"] = team is null ? null : new Dictionary<string, object?>
                {
                    ["team"] = team.Team,
                    ["note"] = "Team outcomes, shown as context only: not this technician's score.",
                    ["backlog"] = engine.Compute(ix, team with { Metric = "backlog" }, now).Value,
                    ["sla"] = engine.Compute(ix, team with { Metric = "sla" }, now).Value,
                },
            };
        }, cancellationToken);
        view["checkins"] = notes.OrderByDescending(c => c.At).Select(c => new Dictionary<string, object?>
        {
            ["at"] = c.At, ["lead"] = c.Lead, ["note"] = c.Note, ["snapshot"] = c.SnapshotJson,
        }).ToList();
        return view;
    }

    private static Dictionary<string, object?> Figure(KpiResult r, double? target) => new()
    {
        ["value"] = r.Value,
        ["unit"] = r.Unit,
        ["count"] = r.Count,
        ["previous"] = r.Previous?.Value,
        ["target"] = target,
        ["segments"] = r.Segments,
    };

    /// <summary>Over tickets created in the period: escalations the technician made and received, tickets assigned to them, and CSAT on the ones they escalated.</summary>
    private static (int Made, int Received, int Assigned, (double? Value, int Count) CsatEscalated) Escalations(KpiIndex ix, string technician, KpiRequest scope)
    {
        var id = ix.People.FindIgnoreCase(technician);
        if (id < 0)
        {
            return (0, 0, 0, (null, 0));
        }

        long from = scope.From.ToUnixTimeMilliseconds(), to = scope.To.ToUnixTimeMilliseconds();
        int made = 0, received = 0, assigned = 0;
        var escalatedTickets = new HashSet<int>();
        var createdAt = ix.Columns.Created;
        for (var i = 0; i < ix.Columns.Count; i++)
        {
            // The creation column picks the period's tickets; only those are read as objects.
            if (createdAt[i] == TicketFacts.None || createdAt[i] < from || createdAt[i] >= to)
            {
                continue;
            }

            var t = ix.Tickets[i];

            if (t.Assignees?.Contains(id) == true)
            {
                assigned++;
            }

            foreach (var (by, receiver, _) in t.EscalationPairs ?? [])
            {
                if (by == id)
                {
                    made++;
                    escalatedTickets.Add(t.Index);
                }

                if (receiver == id)
                {
                    received++;
                }
            }
        }

        var answers = ix.Answers.Where(a => escalatedTickets.Contains(a.Ticket)).ToList();
        return (made, received, assigned, (Stats.Round(Stats.Ratio(answers.Count(a => a.Score >= 4), answers.Count)), answers.Count));
    }
}
