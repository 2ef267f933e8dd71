using System.Globalization;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Exports;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// <c>GET /api/kpi/{metric}</c> (DESIGN §6), the technician view, CSV exports and charts. <c>/api/*</c> is
/// guarded by the API key middleware. Bad parameters get 400 with the reason.
/// </summary>
public static class KpiEndpoints
{
    public static IEndpointRouteBuilder MapKpi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpi/tech/{person}", async (string person, HttpRequest http, KpiEngine engine, TechnicianView view, IDirectory directory, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () =>
            {
                var request = Request("tech", http, clock, teams) with { Tech = KpiArguments.PersonId(person) };
                return await TechAsync(request.Tech!, request, engine, view, directory, ct);
            }));

        // The query form the CLI's --tech mirrors: /api/kpi/tech?tech=carol is /api/kpi/tech/carol.
        app.MapGet("/api/kpi/tech", async (HttpRequest http, KpiEngine engine, TechnicianView view, IDirectory directory, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () =>
            {
                var request = Request("tech", http, clock, teams);
                var who = request.Tech ?? throw new UsageException("The technician view needs a person.", TechUsage);
                return await TechAsync(who, request, engine, view, directory, ct);
            }));

        app.MapGet("/api/kpi/charts/{chart}", async (string chart, HttpRequest http, KpiCharts charts, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () =>
            {
                var name = chart.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? chart[..^4] : chart;
                if (!KpiCharts.Names.Contains(name))
                {
                    throw new UsageException($"There is no chart '{name}'.", $"/api/kpi/charts/{{{string.Join("|", KpiCharts.Names)}}}.png");
                }

                return Results.File(await charts.RenderAsync(name, Request("summary", http, clock, teams), ct), "image/png");
            }));

        // Every export is audited (DESIGN §2), as /api/export/{what}.csv is: who (the key's hash prefix), what, period, rows.
        app.MapGet("/api/kpi/export/tickets", async (HttpRequest http, KpiExports exports, ExportService audited, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () =>
            {
                var request = Request("volume", http, clock, teams);
                var csv = await exports.TicketsCsvAsync(request, ct);
                await audited.RecordAsync("tickets", request.From, request.To, Rows(csv), ExportEndpoints.Caller(http.HttpContext), "api", Scope(request, null), ct);
                return CsvFile(csv, KpiExports.FileName("tickets", request));
            }));

        app.MapGet("/api/kpi/export/series/{metric}", async (string metric, HttpRequest http, KpiExports exports, ExportService audited, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () =>
            {
                var request = Request(metric, http, clock, teams);
                var interval = http.Query["interval"].FirstOrDefault() ?? "week";
                var csv = await exports.SeriesCsvAsync(request, interval, ct);
                await audited.RecordAsync("series", request.From, request.To, Rows(csv), ExportEndpoints.Caller(http.HttpContext), "api", Scope(request, interval), ct);
                return CsvFile(csv, KpiExports.FileName($"{request.Metric}-by-{interval}", request));
            }));

        // The configured teams, for the dashboard's picker: they are configurable (DESIGN §2), so the page cannot list them itself.
        app.MapGet("/api/kpi/teams", (SupportTeams teams) =>
            Results.Ok(new { teams = teams.All.Select(t => t.Name).Order(StringComparer.OrdinalIgnoreCase).ToArray() }));

        app.MapGet("/api/kpi/{metric}", async (string metric, HttpRequest http, KpiEngine engine, SupportTeams teams, TimeProvider clock, CancellationToken ct) =>
            await Answer(async () => Results.Text(KpiJson.Serialize(await engine.ComputeAsync(Request(metric, http, clock, teams), ct)), "application/json")));
        return app;
    }

    private const string TechUsage = "/api/kpi/tech/{person} or /api/kpi/tech?tech=PERSON";

    /// <summary>
    /// A technician the directory or the ticket history knows (someone who has left still has figures); a mistyped or
    /// empty name is 404 with the reason rather than a view of zeros that reads like a technician who did nothing.
    /// </summary>
    private static async Task<IResult> TechAsync(string who, KpiRequest request, KpiEngine engine, TechnicianView view, IDirectory directory, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(who))
        {
            throw new UsageException("The technician view needs a person.", TechUsage);
        }

        if (await directory.FindAsync(who, ct) is null && await engine.Index.QueryAsync(ix => ix.People.FindIgnoreCase(who) < 0, ct))
        {
            return Results.NotFound(new { error = $"There is nobody called '{who}' in the directory or the ticket history.", usage = TechUsage });
        }

        return Results.Text(KpiJson.Serialize(await view.ComputeAsync(who, request, ct)), "application/json");
    }

    private static KpiRequest Request(string metric, HttpRequest http, TimeProvider clock, SupportTeams teams)
    {
        string? Q(string name) => http.Query[name].FirstOrDefault();
        return KpiParameters.Build(metric, Q("team"), Q("from"), Q("to"), Q("period"), Q("by"), Q("tech"), clock.GetUtcNow(), teams);
    }

    /// <summary>A download under its own name, as <c>/api/export/{what}.csv</c> and the chat's export links give it.</summary>
    private static IResult CsvFile(string csv, string fileName) =>
        Results.File(ExportFile.Utf8(csv), ExportFile.ContentType, fileName);

    private static int Rows(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;

    private static Dictionary<string, string> Scope(KpiRequest request, string? interval)
    {
        var scope = new Dictionary<string, string>();
        if (request.Team is not null)
        {
            scope["team"] = request.Team;
        }

        if (interval is not null)
        {
            scope["metric"] = request.Metric;
            scope["interval"] = interval;
        }

        return scope;
    }

    private static async Task<IResult> Answer(Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (UsageException e)
        {
            return Results.BadRequest(new { error = e.Problem, usage = e.Usage });
        }
        catch (Core.Tickets.DomainException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    internal static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
