using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ItChatBot.Teams.Auth;

/// <summary>
/// The Bot Framework's signing keys: read from the OpenID metadata's <c>jwks_uri</c>, cached, refreshed every
/// 24 hours and when a token names a key id we do not know (the keys were rotated). Refreshes are tried at most
/// once a minute, successful or not, so neither a stream of made-up key ids nor an outage of the metadata endpoint
/// turns every request into a call to it. A failed refresh keeps the cached keys (with a warning): an outage past
/// 24 hours does not lock Teams out, while a key id the cache does not hold is still refused. Each key keeps its
/// <c>endorsements</c> (the channels it may sign for), read from the JSON directly because <see cref="JsonWebKey"/>
/// does not model them.
/// </summary>
public sealed partial class SigningKeys(HttpClient http, IOptions<TeamsOptions> options, TimeProvider clock, ILogger<SigningKeys> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyDictionary<string, SigningKey> _keys = new Dictionary<string, SigningKey>();
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _triedAt = DateTimeOffset.MinValue;
    private string? _lastFailure;

    /// <summary>
    /// The key with this id, refreshing the set when it is stale or the id is unknown; null when no such key is known.
    /// Throws <see cref="InvalidOperationException"/> only when no keys could ever be read.
    /// </summary>
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
            if (now - _fetchedAt < MaxAge && _keys.TryGetValue(keyId, out key))
            {
                return key;
            }

            if (now - _triedAt >= MinRefreshInterval)
            {
                _triedAt = now;
                try
                {
                    _keys = await FetchAsync(cancellationToken);
                    _fetchedAt = now;
                    _lastFailure = null;
                    Log.KeysRefreshed(logger, _keys.Count, keyId);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or ArgumentException
                    or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    _lastFailure = ex.Message;
                    Log.RefreshFailed(logger, ex, _keys.Count, _fetchedAt, keyId);
                }
            }

            if (_keys.Count == 0 && _lastFailure is not null)
            {
                throw new InvalidOperationException($"{_lastFailure} (tried at {_triedAt:O}; next try a minute later)");
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

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Bot Framework signing keys could not be refreshed; keeping the {Count} keys read at {FetchedAt} (asked for {KeyId})")]
        public static partial void RefreshFailed(ILogger logger, Exception exception, int count, DateTimeOffset fetchedAt, string keyId);
    }
}

/// <param name="Endorsements">Channels this key may sign for (e.g. <c>msteams</c>); null when the key set does not say, which endorses none.</param>
public sealed record SigningKey(JsonWebKey Key, IReadOnlyList<string>? Endorsements);
