using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ItChatBot.Host.Api;

/// <summary>
/// Guards <c>/api/*</c> (DESIGN §6): <c>Authorization: Bearer &lt;key&gt;</c> whose SHA-256 is one of <c>Api:Keys</c>
/// (hex). Keys are stored hashed, so the settings never hold a usable key. With no key configured, only
/// requests from loopback are answered: the embedded default needs no credentials on the machine it runs on.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IConfiguration configuration)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/api/messages", StringComparison.OrdinalIgnoreCase))
        {
            // /api/messages is the Bot Framework endpoint, which checks its own JWT.
            await next(context);
            return;
        }

        var hashes = ApiKeys.Configured(configuration);
        if (hashes.Count == 0)
        {
            if (IsLoopback(context))
            {
                await next(context);
                return;
            }

            await RefuseAsync(context, "No API key is configured, so /api answers only on this machine (loopback). Set Api:Keys to use it remotely.");
            return;
        }

        if (ApiKeys.BearerToken(context.Request) is not { } token || !ApiKeys.Matches(token, hashes))
        {
            await RefuseAsync(context, "Send Authorization: Bearer <key> with a key whose SHA-256 is listed in Api:Keys.");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// The request came from this machine: a loopback address (an IPv4 one mapped into IPv6 too), or no address at all
    /// (an in-process test server); and it was not relayed, nor sent to a name that only resolves here by a trick:
    /// <list type="bullet">
    /// <item>A tunnel or reverse proxy on this machine (ngrok, cloudflared, nginx, Caddy: the usual way to let Slack and
    /// Teams reach the host) connects from loopback on behalf of anyone on the internet; it says so with a forwarding
    /// header, so a request carrying one is not local.</item>
    /// <item>A web page in a browser here can rebind its own name to 127.0.0.1 (DNS rebinding) and then call us from
    /// loopback; its requests still name its host, so the Host header must be a loopback name or address.</item>
    /// </list>
    /// </summary>
    public static bool IsLoopback(HttpContext context) =>
        (context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        && !ForwardingHeaders.Any(context.Request.Headers.ContainsKey)
        && IsLoopbackHost(context.Request.Host);

    /// <summary>Headers that proxies and tunnels add to say whom they relay.</summary>
    private static readonly string[] ForwardingHeaders =
        ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "X-Original-Forwarded-For", "CF-Connecting-IP", "True-Client-IP"];

    /// <summary><c>localhost</c> (or a name under it, RFC 6761), a loopback address, or no host at all (HTTP/1.0, a test server).</summary>
    private static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return true;
        }

        var name = host.Host.Trim('[', ']');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip));
    }

    /// <summary>A 401 names the scheme it wants (RFC 9110 §11.6.1), so a client knows to send a bearer key.</summary>
    private static Task RefuseAsync(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
    }
}

public static class ApiKeys
{
    /// <summary>The key of <c>Authorization: Bearer &lt;key&gt;</c>, or null; the scheme name is case-insensitive (RFC 9110 §11.1).</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static IReadOnlyList<string> Configured(IConfiguration configuration) =>
        [.. configuration.GetSection("Api:Keys").Get<string[]>()?.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim().ToLowerInvariant()) ?? []];

    public static bool Matches(string key, IReadOnlyList<string> hashes)
    {
        var hash = Encoding.ASCII.GetBytes(Hash(key));
        var any = false;
        foreach (var expected in hashes)
        {
            any |= CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(expected));
        }

        return any;
    }
}
