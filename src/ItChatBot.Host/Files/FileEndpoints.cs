using ItChatBot.Core.Audit;

namespace ItChatBot.Host.Files;

/// <summary>
/// <c>GET /files/{id}?exp=&amp;sig=</c>: serves a file behind a signed link, without credentials (outside <c>/api</c>,
/// so the API key does not apply). A bad, changed or expired link gets 403 with the reason; a good link to a file
/// no longer kept gets 404. Downloading an export writes an audit entry.
/// </summary>
public static class FileEndpoints
{
    /// <summary>The audit action of a download through a link (the export itself is <see cref="AuditActions.Export"/>).</summary>
    public const string DownloadAction = "export.downloaded";

    public static IEndpointRouteBuilder MapFileLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/files/{id}", DownloadAsync);
        return app;
    }

    private static async Task<IResult> DownloadAsync(
        string id, string? exp, string? sig, HttpContext http, FileLinkSigner signer, IFileStore store, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await signer.CheckAsync(id, exp, sig, now) is { } problem)
        {
            return TypedResults.Problem(detail: problem, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        if (await store.FindAsync(id, ct) is not { } found)
        {
            return TypedResults.Problem(detail: "The file of this link is no longer kept; ask the bot again for a fresh one.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        var (file, content) = found;
        if (file.Export is { } export)
        {
            await audit.AppendAsync(AuditRecord.New(now, Downloader(http), DownloadAction, file.Name, new Dictionary<string, string>
            {
                ["what"] = export.What,
                ["exportedBy"] = export.ExportedBy,
                ["file"] = file.Id,
                ["via"] = "link",
                ["userAgent"] = Clip(http.Request.Headers.UserAgent.ToString(), 200),
            }), ct);
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "private, no-store";

        // Pictures show inline (in a card); everything else downloads under its own name.
        return file.ContentType.StartsWith("image/", StringComparison.Ordinal)
            ? TypedResults.File(content, file.ContentType)
            : TypedResults.File(content, file.ContentType, file.Name);
    }

    /// <summary>Whoever holds the link: only their address is known.</summary>
    private static string Downloader(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? $"link:{ip}" : "link:unknown";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
