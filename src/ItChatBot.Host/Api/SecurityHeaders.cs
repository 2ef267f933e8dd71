using ItChatBot.Host.Files;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Api;

/// <summary>
/// The headers an admin page should send (OWASP Secure Headers), on every answer: the web chat and dashboard run only
/// their own scripts and styles (no inline ones, so markup that slips into a card cannot run), are never framed
/// (clickjacking a button such as "Approve"), and no answer is sniffed into another type or leaks its address (a signed
/// file link is a credential) in a Referer. Pictures may also come from <c>Host:PublicBaseUrl</c>, where a card's chart
/// link points when it is set.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<FileLinkOptions> links)
{
    private readonly string _policy = Policy(links.Value.PublicBaseUrl);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }

    private static string Policy(string? publicBaseUrl)
    {
        var pictures = Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var url) ? $" {url.GetLeftPart(UriPartial.Authority)}" : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; "
            + $"img-src 'self' data: blob:{pictures}; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
