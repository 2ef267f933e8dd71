using System.Globalization;
using System.Net;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// A non-2xx answer from Graph, Okta or an <c>http</c> step's endpoint: the message names the call and the status, and
/// <see cref="RetryAfter"/> carries how long the peer asked us to wait (429/503 <c>Retry-After</c>, Okta's
/// <c>X-Rate-Limit-Reset</c>), so a retry does not come back before the peer is willing to answer.
/// </summary>
public sealed class RemoteCallException(string message, HttpStatusCode statusCode, TimeSpan? retryAfter)
    : HttpRequestException(message, null, statusCode)
{
    /// <summary>Longest wait honoured: a peer asking for more still gets a retry within the hour.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <param name="secrets">Credentials sent with the call: a peer that echoes one back ("invalid key sk-…") must not put it in the
    /// error, which goes to the run's events, the queue's card and the log.</param>
    public static async Task<RemoteCallException> FromAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken, IReadOnlyCollection<string?>? secrets = null)
    {
        var text = Redact(await response.Content.ReadAsStringAsync(cancellationToken), secrets);
        return new RemoteCallException($"{call} answered {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}", response.StatusCode, RetryAfterOf(response));
    }

    public const string Redacted = "[redacted]";

    /// <summary>The text with every occurrence of a secret replaced by <see cref="Redacted"/>.</summary>
    public static string Redact(string text, IReadOnlyCollection<string?>? secrets)
    {
        foreach (var secret in secrets ?? [])
        {
            if (secret is { Length: > 0 })
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// The wait the answer asks for: <c>Retry-After</c> as seconds or as a date (measured from the answer's own <c>Date</c>),
    /// else Okta's <c>X-Rate-Limit-Reset</c> (UTC epoch seconds) on a 429. Null when it names none.
    /// </summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var sent = response.Headers.Date;
        TimeSpan? wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } until } when sent is { } at => until - at,
            _ => null,
        };
        if (wait is null && response.StatusCode == HttpStatusCode.TooManyRequests && sent is { } now
            && response.Headers.TryGetValues("X-Rate-Limit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        }

        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxRetryAfter.Ticks)) : null;
    }
}
