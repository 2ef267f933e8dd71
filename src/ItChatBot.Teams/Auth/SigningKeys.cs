using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ItChatBot.Teams.Auth;

/// <summary>
/// The Bot Framework's signing keys: read from the OpenID metadata's <c>jwks_uri</c>, cached, refreshed every
/// 24 hours and when a token names a key id we do not know (the keys were rotated), at most once a minute so a
/// stream of made-up key ids cannot hammer the metadata endpoint. Each key keeps its <c>endorsements</c> (the
/// channels it may sign for), read from the JSON directly because <see cref="JsonWebKey"/> does not model them.
/// </summary>
public sealed partial class SigningKeys(HttpClient http, IOptions<TeamsOptions> options, TimeProvider clock, ILogger<SigningKeys> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyDictionary<string, SigningKey> _keys = new Dictionary<string, SigningKey>();
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    /// <summary>The key with this id, refreshing the set when it is stale or the id is unknown; null when no such key exists.</summary>
    public async Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _fetchedAt < MaxAge && _keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            now = clock.GetUtcNow();
            var stale = now - _fetchedAt >= MaxAge;
            if (!stale && _keys.TryGetValue(keyId, out key))
            {
                return key;
            }

            if (stale || now - _fetchedAt >= MinRefreshInterval)
            {
                _keys = await FetchAsync(cancellationToken);
                _fetchedAt = now;
                Log.KeysRefreshed(logger, _keys.Count, keyId);
            }

            return _keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, SigningKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var metadataUrl = RequireTrusted(options.Value.OpenIdMetadataUrl);
        using var metadata = JsonDocument.Parse(await http.GetStringAsync(metadataUrl, cancellationToken));
        var jwksUri = metadata.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
            ? RequireTrusted(uri.GetString()!)
            : throw new InvalidOperationException($"The OpenID metadata at {metadataUrl} has no jwks_uri.");

        var json = await http.GetStringAsync(jwksUri, cancellationToken);
        var set = new JsonWebKeySet(json);
        using var raw = JsonDocument.Parse(json);
        var endorsements = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (raw.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
        {
            foreach (var k in keys.EnumerateArray())
            {
                if (k.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
                    && k.TryGetProperty("endorsements", out var e) && e.ValueKind == JsonValueKind.Array)
                {
                    endorsements[kid.GetString()!] = [.. e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
                }
            }
        }

        return set.Keys
            .Where(k => !string.IsNullOrEmpty(k.Kid))
            .GroupBy(k => k.Kid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new SigningKey(g.First(), endorsements.GetValueOrDefault(g.Key)), StringComparer.Ordinal);
    }

    /// <summary>Keys only come over HTTPS, except from this machine (tests, a local stand-in).</summary>
    private static Uri RequireTrusted(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
        return uri.Scheme == Uri.UriSchemeHttps || loopback
            ? uri
            : throw new InvalidOperationException($"Signing keys must come over https (got {url}).");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Bot Framework signing keys refreshed: {Count} keys (asked for {KeyId})")]
        public static partial void KeysRefreshed(ILogger logger, int count, string keyId);
    }
}

/// <param name="Endorsements">Channels this key may sign for (e.g. <c>msteams</c>); null when the key set does not say, which endorses none.</param>
public sealed record SigningKey(JsonWebKey Key, IReadOnlyList<string>? Endorsements);
