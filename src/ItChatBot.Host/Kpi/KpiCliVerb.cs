using System.CommandLine;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Cli;

namespace ItChatBot.Host.Kpi;

/// <summary><c>itchatbot kpi METRIC [--team] [--from --to | --period] [--by] [--tech] [--format json|text]</c>: the answer on stdout, errors on stderr.</summary>
public sealed class KpiCliVerb(KpiEngine engine, TechnicianView view, SupportTeams teams, TimeProvider clock) : ICliVerb
{
    public Command Build(TextWriter output, TextWriter error)
    {
        var metric = new Argument<string>("metric") { Description = $"One of {string.Join(", ", KpiRequest.Metrics)}.", DefaultValueFactory = _ => "summary" };
        var team = new Option<string?>("--team") { Description = "Scope to one support team." };
        var from = new Option<string?>("--from") { Description = "Start (ISO 8601 instant or date = midnight UTC), inclusive." };
        var to = new Option<string?>("--to") { Description = "End, exclusive; default now." };
        var period = new Option<string?>("--period") { Description = $"Instead of --from/--to: {KpiPeriod.Forms}." };
        var by = new Option<string?>("--by") { Description = "Segment by priority, category, team, channel, tech or outcome." };
        var tech = new Option<string?>("--tech") { Description = "Only this technician's tickets (for tech: whose view)." };
        var format = new Option<string>("--format") { Description = "json (DESIGN §6) or text (the card).", DefaultValueFactory = _ => "text" };
        var command = new Command("kpi", "A KPI of DESIGN §4 with the previous period beside it.") { metric, team, from, to, period, by, tech, format };
        command.SetAction(async (result, ct) =>
        {
            var fmt = result.GetValue(format)?.ToLowerInvariant();
            if (fmt is not ("json" or "text"))
            {
                await error.WriteLineAsync($"error: --format must be json or text, not '{fmt}'.");
                return 2;
            }

            try
            {
                var request = KpiParameters.Build(result.GetValue(metric) ?? "summary", result.GetValue(team), result.GetValue(from), result.GetValue(to),
                    result.GetValue(period), result.GetValue(by), result.GetValue(tech), clock.GetUtcNow(), teams);
                if (request.Metric == "tech")
                {
                    var who = request.Tech ?? throw new UsageException("The technician view needs --tech PERSON.", "itchatbot kpi tech --tech alice");
                    var figures = await view.ComputeAsync(who, request with { Tech = null }, ct);
                    await output.WriteLineAsync(fmt == "json" ? KpiJson.Serialize(figures) : TechCard.Render(figures).ToPlainText());
                    return 0;
                }

                var kpi = await engine.ComputeAsync(request, ct);
                var zone = teams.ZoneOf(request.Team);
                await output.WriteLineAsync(fmt == "json" ? KpiJson.Serialize(kpi) : KpiCards.Metric(kpi, zone).ToPlainText());
                return 0;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"error: {e.Problem}\nuse: itchatbot kpi <metric> [--team NAME] [--from DATE --to DATE | --period {KpiPeriod.Forms}] [--by DIM] [--tech PERSON] [--format json|text]");
                return 2;
            }
        });
        return command;
    }
}
