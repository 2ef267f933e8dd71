namespace ItChatBot.Slack.WebApi;

/// <summary>
/// A Web API call failed: <see cref="Error"/> is Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>,
/// <c>http_503</c>). <see cref="RetryAfter"/> is set when Slack said how long to wait (HTTP 429).
/// </summary>
public sealed class SlackApiException(string method, string error, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"Slack {method} failed: {error}", inner)
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
