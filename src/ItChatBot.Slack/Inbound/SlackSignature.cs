using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Slack's v0 request signature: HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c> keyed with the signing secret,
/// checked in constant time, with a five-minute replay window (as Bolt and slack_sdk do; SlackNet skips the window).
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is genuine; otherwise the reason it is not.</summary>
    public static string? Verify(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp))
        {
            return "the X-Slack-Request-Timestamp header is missing";
        }

        if (string.IsNullOrEmpty(signature))
        {
            return "the X-Slack-Signature header is missing";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "X-Slack-Request-Timestamp is not a Unix time in seconds";
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds)
        {
            return "X-Slack-Request-Timestamp is more than 5 minutes away from now";
        }

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "the signature does not match";
    }

    /// <summary>The <c>X-Slack-Signature</c> value for a body; tests and the load harness sign with it too.</summary>
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message);
        return "v0=" + Convert.ToHexStringLower(mac);
    }
}
