namespace ItChatBot.Teams.Auth;

/// <summary>The outcome of checking a request's bearer token; a failure carries the HTTP status and why.</summary>
public sealed record InboundAuthResult(bool Succeeded, int StatusCode, string? Reason, string? ServiceUrlClaim, IReadOnlyList<string>? Endorsements)
{
    public static InboundAuthResult Fail(string reason, int statusCode = 401) => new(false, statusCode, reason, null, null);

    public static InboundAuthResult Ok(string? serviceUrl, IReadOnlyList<string>? endorsements) => new(true, 200, null, serviceUrl, endorsements);

    /// <summary>The development mode without inbound auth: no claims to compare with the activity.</summary>
    public static readonly InboundAuthResult Unauthenticated = new(true, 200, null, null, null);
}
