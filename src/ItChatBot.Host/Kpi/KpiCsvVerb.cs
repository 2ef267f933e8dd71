using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Exports;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// The tickets and KPI time series exports in chat: <c>/kpi export tickets [team:] [period:]</c> and
/// <c>/kpi export [series] METRIC [team:] [period:]</c> (a week per row). <see cref="KpiExportVerb"/> serves them
/// beside the audit and access exports, with the same role check, audit entry and audited download link.
/// </summary>
public sealed class KpiCsvExport(SupportTeams teams, KpiExports exports) : IScopedExport
{
    public IReadOnlyList<string> Forms { get; } =
    [
        $"tickets [team:NAME] [period:{KpiPeriod.Forms}]",
        $"[series] <metric> [team:NAME] [period:{KpiPeriod.Forms}]",
    ];

    public string Description => "tickets = the tickets created in the period with their KPI facts; series <metric> = a metric week by week";

    public bool Handles(string what)
    {
        var w = what.ToLowerInvariant();
        return w is "tickets" or "series" || (w != "tech" && KpiRequest.Metrics.Contains(w));
    }

    public async Task<ScopedExportFile> ExportAsync(IReadOnlyList<string> words, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var what = words[0].ToLowerInvariant();
        var rest = words.Skip(1).ToList();
        KpiRequest request;
        string csv, title, name, kind;
        if (what == "tickets")
        {
            request = KpiArguments.Parse("volume " + string.Join(' ', rest), now, teams);
            csv = await exports.TicketsCsvAsync(request, cancellationToken);
            (title, name, kind) = ("Tickets CSV", "tickets", "tickets");
        }
        else
        {
            if (what == "series")
            {
                if (rest.Count == 0 || rest[0].Contains(':', StringComparison.Ordinal))
                {
                    throw new UsageException("Say what to export: tickets, or series and a metric.", KpiArguments.Usage);
                }

                what = rest[0].ToLowerInvariant();
                rest.RemoveAt(0);
            }

            if (what == "tech")
            {
                throw new UsageException("The technician view has no series export.", KpiArguments.Usage);
            }

            request = KpiArguments.Parse(what + " " + string.Join(' ', rest), now, teams);
            if (request.By is not null || request.Tech is not null)
            {
                throw new UsageException("A series export takes a metric, a team and a period.", KpiArguments.Usage);
            }

            csv = await exports.SeriesCsvAsync(request, "week", cancellationToken);
            (title, name, kind) = ($"{request.Metric} by week, CSV", $"{request.Metric}-by-week", "series");
        }

        if (what == "tickets" && (request.By is not null || request.Tech is not null))
        {
            throw new UsageException("The tickets export takes a team and a period.", KpiArguments.Usage);
        }

        var fileName = KpiExports.FileName(name, request);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
        var scope = new Dictionary<string, string>();
        if (request.Team is not null)
        {
            scope["team"] = request.Team;
        }

        if (kind == "series")
        {
            scope["metric"] = request.Metric;
            scope["interval"] = "week";
        }

        return new ScopedExportFile(kind, title, new ExportFile(fileName, ExportFile.Utf8(csv), rows), request.From, request.To, scope);
    }
}

/// <summary><c>/kpi csv tickets|series METRIC ...</c>: the older name of <c>/kpi export tickets|series</c>, kept so it goes on working.</summary>
public sealed class KpiCsvVerb(KpiExportVerb export) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "csv";

    public string Usage => $"/kpi csv tickets|series <metric> [team:NAME] [period:{KpiPeriod.Forms}] (the same as /kpi export)";

    public string Summary => "The same as /kpi export tickets|series: CSV of the tickets created in a period, or of a metric week by week, posted here.";

    public IReadOnlyList<string> Audience => [Roles.Lead];

    public Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0].ToLowerInvariant() is not ("tickets" or "series"))
        {
            throw new UsageException("Say what to export: tickets, or series and a metric.", Usage);
        }

        return export.HandleAsync(turn, arguments, cancellationToken);
    }
}
