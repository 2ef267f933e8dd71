using System.Text.Json;
using ItChatBot.Core.Conversations;
using Microsoft.Extensions.Options;

namespace ItChatBot.Teams.Connector;

/// <summary>
/// The client-credentials token the connector wants on every call (protocols/teams.md §4): from
/// <c>login.microsoftonline.com/{tenant or botframework.com}</c> for scope <c>https://api.botframework.com/.default</c>,
/// cached until five minutes before it expires, fetched by one caller at a time. Null in the development
/// mode without auth (the Agents Playground's connector takes calls without a token).
/// </summary>
public sealed class BotTokenProvider(HttpClient http, IOptions<TeamsOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _cached;

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.DevelopmentNoAuth || string.IsNullOrWhiteSpace(settings.AppId))
        {
            return null;
        }

        if (_cached is { } hit && clock.GetUtcNow() < hit.ExpiresAt - RenewBefore)
        {
            return hit.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && clock.GetUtcNow() < again.ExpiresAt - RenewBefore)
            {
                return again.Token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, settings.ResolvedTokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = settings.AppId,
                    ["client_secret"] = settings.AppPassword ?? "",
                    ["scope"] = TeamsOptions.ConnectorScope,
                }),
            };
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ChannelSendException(
                    $"The token endpoint answered {(int)response.StatusCode}: {Shorten(body)}",
                    ConnectorClient.RetryAfter(response, clock))
                {
                    // A wrong Teams:AppPassword or AppId (400/401 invalid_client) stays wrong until the settings change.
                    Permanent = ChannelSendException.IsPermanentStatus((int)response.StatusCode),
                };
            }

            using var json = JsonDocument.Parse(body);
            var token = json.RootElement.GetProperty("access_token").GetString()
                ?? throw new ChannelSendException("The token endpoint returned no access_token.");
            var lifetime = json.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
            _cached = (token, clock.GetUtcNow().AddSeconds(lifetime));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300];
}
