using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// <c>/kpi csv tickets|series METRIC [team:] [period:]</c>: links to the CSV exports. Named <c>csv</c> so it does
/// not collide with <c>/kpi export audit|access</c>, which the audit part owns.
/// </summary>
public sealed class KpiCsvVerb(SupportTeams teams) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "csv";

    public string Usage => $"/kpi csv tickets|series <metric> [team:NAME] [period:{KpiPeriod.Forms}]";

    public string Summary => "CSV of the tickets created in a period, or of a metric week by week.";

    public Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        KpiAccess.RequireLead(turn.Person);
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var what = words.FirstOrDefault()?.ToLowerInvariant();
        string path;
        KpiRequest request;
        switch (what)
        {
            case "tickets":
                request = KpiArguments.Parse("volume " + string.Join(' ', words.Skip(1)), turn.Now, teams);
                path = "/api/kpi/export/tickets";
                break;
            case "series" when words.Length > 1 && !words[1].Contains(':', StringComparison.Ordinal):
                request = KpiArguments.Parse(string.Join(' ', words.Skip(1)), turn.Now, teams);
                path = $"/api/kpi/export/series/{request.Metric}";
                break;
            default:
                throw new UsageException("Say what to export: tickets, or series and a metric.", Usage);
        }

        var query = $"from={Uri.EscapeDataString(KpiEndpoints.Iso(request.From))}&to={Uri.EscapeDataString(KpiEndpoints.Iso(request.To))}"
            + (request.Team is null ? "" : $"&team={Uri.EscapeDataString(request.Team)}");
        turn.ReplyEphemeral(new Card
        {
            Title = what == "tickets" ? "Tickets CSV" : $"{request.Metric} by week, CSV",
            Text = $"Download: {path}?{query}",
            Context = "The link needs an API key unless opened on the service's own machine.",
        });
        return Task.CompletedTask;
    }
}
