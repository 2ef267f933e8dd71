using ItChatBot.Teams.Activities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ItChatBot.Teams.Auth;

/// <summary>
/// Inbound auth as the Bot Framework authentication spec requires (protocols/teams.md §3): a Bearer RS256 JWT
/// signed by a key from the OpenID metadata, issuer <c>https://api.botframework.com</c>, audience = our app id,
/// lifetime with 5 minutes of skew (checked against <see cref="TimeProvider"/>, not the wall clock, so tests can
/// move time), and then, once the body is read, the <c>serviceurl</c> claim equal to the activity's and the
/// signing key endorsed for the activity's channel.
/// </summary>
public sealed class BotFrameworkAuthenticator(SigningKeys keys, IOptions<TeamsOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<InboundAuthResult> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.DevelopmentNoAuth)
        {
            return InboundAuthResult.Unauthenticated;
        }

        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return InboundAuthResult.Fail("Authorization: Bearer <token> is required.");
        }

        var raw = authorization["Bearer ".Length..].Trim();
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(raw);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return InboundAuthResult.Fail("The bearer token is not a JWT.");
        }

        if (token.Alg != SecurityAlgorithms.RsaSha256)
        {
            return InboundAuthResult.Fail($"The token must be signed with RS256 (got '{token.Alg}').");
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return InboundAuthResult.Fail("The token names no signing key (kid).");
        }

        SigningKey? key;
        try
        {
            key = await keys.FindAsync(token.Kid, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return InboundAuthResult.Fail($"The signing keys could not be read: {ex.Message}");
        }

        if (key is null)
        {
            return InboundAuthResult.Fail($"The token's signing key '{token.Kid}' is not in the OpenID key set.");
        }

        var result = await Handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.AppId,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Lifetime is checked below against the injected clock.
            ValidateLifetime = false,
            ValidateIssuerSigningKey = true,
        });
        if (!result.IsValid)
        {
            return InboundAuthResult.Fail(Describe(result.Exception));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (token.ValidTo == DateTime.MinValue || now > token.ValidTo + ClockSkew)
        {
            return InboundAuthResult.Fail($"The token expired at {token.ValidTo:O}.");
        }

        if (token.ValidFrom != DateTime.MinValue && now < token.ValidFrom - ClockSkew)
        {
            return InboundAuthResult.Fail($"The token is not valid before {token.ValidFrom:O}.");
        }

        var serviceUrl = token.TryGetPayloadValue<string>("serviceurl", out var claim) ? claim : null;
        return InboundAuthResult.Ok(serviceUrl, key.Endorsements);
    }

    /// <summary>The checks that need the activity: its <c>serviceUrl</c> (401) and the key's endorsement for its channel (403).</summary>
    public static InboundAuthResult CheckActivity(InboundAuthResult auth, Activity activity)
    {
        if (!auth.Succeeded || ReferenceEquals(auth, InboundAuthResult.Unauthenticated))
        {
            return auth;
        }

        if (auth.ServiceUrlClaim is null || !SameServiceUrl(auth.ServiceUrlClaim, activity.ServiceUrl))
        {
            return InboundAuthResult.Fail($"The token's serviceurl claim '{auth.ServiceUrlClaim}' does not match the activity's serviceUrl '{activity.ServiceUrl}'.");
        }

        // A key that lists no endorsements is endorsed for no channel (protocols/teams.md §3.8), not for every one.
        if (auth.Endorsements is not { } endorsed || !endorsed.Contains(activity.ChannelId ?? "", StringComparer.OrdinalIgnoreCase))
        {
            return InboundAuthResult.Fail($"The signing key is not endorsed for channel '{activity.ChannelId}'.", 403);
        }

        return auth;
    }

    private static bool SameServiceUrl(string claim, string? activity) =>
        activity is not null && string.Equals(claim.TrimEnd('/'), activity.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string Describe(Exception? ex) => ex switch
    {
        SecurityTokenInvalidAudienceException => "The token's audience is not this bot's app id.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not the Bot Framework.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is not RS256.",
        null => "The token is not valid.",
        _ => $"The token is not valid: {ex.GetType().Name}.",
    };
}
