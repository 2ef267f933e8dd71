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

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !ApiKeys.Matches(header["Bearer ".Length..].Trim(), hashes))
        {
            await RefuseAsync(context, "Send Authorization: Bearer <key> with a key whose SHA-256 is listed in Api:Keys.");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// The request came from this machine: a loopback address (an IPv4 one mapped into IPv6 too), or no address at all
    /// (an in-process test server).
    /// </summary>
    public static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } remote
        || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static Task RefuseAsync(HttpContext context, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
}

public static class ApiKeys
{
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
