using System.Globalization;
using System.Text;
using ItChatBot.Core.Kpi;

namespace ItChatBot.Host.Kpi;

/// <summary>CSV exports: the tickets created in a period (with their KPI facts) and a metric's time series.</summary>
public sealed class KpiExports(KpiEngine engine)
{
    public Task<string> TicketsCsvAsync(KpiRequest scope, CancellationToken cancellationToken) =>
        engine.Index.QueryAsync(ix =>
        {
            long from = scope.From.ToUnixTimeMilliseconds(), to = scope.To.ToUnixTimeMilliseconds();
            var team = scope.Team is null ? -1 : ix.Teams.FindIgnoreCase(scope.Team) is var t and >= 0 ? t : -2;
            var csv = new StringBuilder();
            csv.Append(Csv.Line(["key", "team", "category", "priority", "channel", "requester", "assignee", "created", "firstResponse", "resolved", "reopened", "escalations", "outcome", "resolutionSla"])).Append("\r\n");
            var now = engine.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var f in ix.Tickets)
            {
                if (!f.Exists || f.Created < from || f.Created >= to || (team != -1 && f.Team != team))
                {
                    continue;
                }

                var sla = TicketFacts.Decide(f.ResolutionHasTarget, f.ResolutionDeadline, f.ResolutionCompleted, now);
                csv.Append(Csv.Line(
                [
                    f.Key, ix.Teams.Name(f.Team), ix.Categories.Name(f.Category), ix.Priorities.Name(f.Priority),
                    f.Channel >= 0 ? ix.Channels.Name(f.Channel) : "", ix.People.Name(f.Requester), f.Assignee >= 0 ? ix.People.Name(f.Assignee) : "",
                    Iso(f.Created), Iso(f.FirstResponse), Iso(f.FinalResolved), f.EverReopened ? "yes" : "no",
                    f.Escalations.ToString(CultureInfo.InvariantCulture),
                    f.Outcome switch { Core.Tickets.Outcome.AiResolved => "ai-resolved", Core.Tickets.Outcome.AiAssisted => "ai-assisted", Core.Tickets.Outcome.Unassisted => "unassisted", _ => "" },
                    !f.ResolutionHasTarget ? "" : sla is { Met: true } ? "met" : sla is { Met: false } ? "breached" : "pending",
                ])).Append("\r\n");
            }

            return csv.ToString();
        }, cancellationToken);

    public async Task<string> SeriesCsvAsync(KpiRequest request, string interval, CancellationToken cancellationToken)
    {
        var points = await KpiSeries.ComputeAsync(engine, request, interval, cancellationToken);
        var csv = new StringBuilder();
        csv.Append(Csv.Line(["metric", "team", "from", "to", "value", "count"])).Append("\r\n");
        foreach (var p in points)
        {
            csv.Append(Csv.Line([request.Metric, request.Team ?? "", KpiEndpoints.Iso(p.From), KpiEndpoints.Iso(p.To),
                p.Value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "", p.Count.ToString(CultureInfo.InvariantCulture)])).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>The file name of a tickets or series export, the same through the API and in chat: <c>tickets_it_20260201-20260301.csv</c>.</summary>
    public static string FileName(string name, KpiRequest request) => string.Create(CultureInfo.InvariantCulture,
        $"{name}{(request.Team is null ? "" : "_" + request.Team.ToLowerInvariant())}_{request.From:yyyyMMdd}-{request.To:yyyyMMdd}.csv");

    private static string Iso(long ms) => ms == TicketFacts.None ? "" : KpiEndpoints.Iso(DateTimeOffset.FromUnixTimeMilliseconds(ms));
}
