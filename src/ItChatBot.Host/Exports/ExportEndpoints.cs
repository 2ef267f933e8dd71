using System.Net;
using ItChatBot.Host.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ItChatBot.Host.Exports;

/// <summary><c>GET /api/export/{what}.csv?from=&amp;to=</c>, behind <see cref="ApiKeyMiddleware"/>.</summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export/{what}.csv", ExportAsync);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        string what, string? from, string? to, HttpContext http, ExportService exports, TimeProvider clock, CancellationToken ct)
    {
        if (exports.Find(what) is not { } source)
        {
            return BadRequest($"'{what}' is not an export; use one of {exports.Names} (GET /api/export/{{what}}.csv).");
        }

        if (ExportPeriod.FromQuery(from, to, clock.GetUtcNow(), out var problem) is not { } period)
        {
            return BadRequest(problem!);
        }

        var file = await exports.RunAsync(source, period, Caller(http), "api", ct);
        return TypedResults.File(file.Content, ExportFile.ContentType, file.FileName);
    }

    /// <summary>The audit names an API caller by a prefix of its key's hash: enough to tell keys apart, useless to an attacker.</summary>
    internal static string Caller(HttpContext http)
    {
        if (ApiKeys.BearerToken(http.Request) is { } token)
        {
            return $"api:{ApiKeys.Hash(token)[..12]}";
        }

        return http.Connection.RemoteIpAddress is { } ip && !IPAddress.IsLoopback(ip) ? $"api:{ip}" : "api:loopback";
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
}
