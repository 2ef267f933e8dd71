using System.Globalization;
using System.Text;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Files;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// <c>/kpi csv tickets|series METRIC [team:] [period:]</c>: posts the CSV into the conversation like
/// <c>/kpi export</c> does (Slack gets the file, Teams and the web chat a signed download link). Named <c>csv</c> so
/// it does not collide with <c>/kpi export audit|access</c>, which the audit part owns.
/// </summary>
public sealed class KpiCsvVerb(SupportTeams teams, KpiExports exports, FileLinks links) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "csv";

    public string Usage => $"/kpi csv tickets|series <metric> [team:NAME] [period:{KpiPeriod.Forms}]";

    public string Summary => "CSV of the tickets created in a period, or of a metric week by week, posted here.";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        KpiAccess.RequireLead(turn.Person);
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var what = words.FirstOrDefault()?.ToLowerInvariant();
        KpiRequest request;
        string csv, title, name;
        switch (what)
        {
            case "tickets":
                request = KpiArguments.Parse("volume " + string.Join(' ', words.Skip(1)), turn.Now, teams);
                csv = await exports.TicketsCsvAsync(request, cancellationToken);
                (title, name) = ("Tickets CSV", "tickets");
                break;
            case "series" when words.Length > 1 && !words[1].Contains(':', StringComparison.Ordinal):
                request = KpiArguments.Parse(string.Join(' ', words.Skip(1)), turn.Now, teams);
                csv = await exports.SeriesCsvAsync(request, "week", cancellationToken);
                (title, name) = ($"{request.Metric} by week, CSV", $"{request.Metric}-by-week");
                break;
            default:
                throw new UsageException("Say what to export: tickets, or series and a metric.", Usage);
        }

        var fileName = string.Create(CultureInfo.InvariantCulture,
            $"{name}{(request.Team is null ? "" : "_" + request.Team.ToLowerInvariant())}_{request.From:yyyyMMdd}-{request.To:yyyyMMdd}.csv");
        var content = Encoding.UTF8.GetBytes(csv);
        var url = await links.PublishAsync(fileName, "text/csv", content, null, cancellationToken);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
        turn.Add(new OutboundMessage
        {
            Id = NewId.Next(),
            Conversation = turn.ReplyThread,
            Card = new Card
            {
                Title = title,
                Text = string.Create(CultureInfo.InvariantCulture, $"{rows} rows, {KpiEndpoints.Iso(request.From)} to {KpiEndpoints.Iso(request.To)}{(request.Team is null ? "" : $", team {request.Team}")}."),
                Context = $"Asked by {turn.Person.DisplayName}.",
            },
            File = new OutboundFile(fileName, "text/csv", content) { Url = url },
            CreatedAt = turn.Now,
        });
    }
}
