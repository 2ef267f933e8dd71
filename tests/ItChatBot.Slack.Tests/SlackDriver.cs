using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ItChatBot.Slack.Inbound;

namespace ItChatBot.Slack.Tests;

/// <summary>Builds whole signed Slack requests as Slack documents them: event callbacks, slash commands, interactions.</summary>
public sealed class SlackDriver(HttpClient client, string signingSecret, TimeProvider clock)
{
    public Task<HttpResponseMessage> PostEventAsync(object callback, int? retryNum = null) =>
        PostAsync("/slack/events", JsonSerializer.Serialize(callback), "application/json", retryNum: retryNum);

    public Task<HttpResponseMessage> PostCommandAsync(string command, string text, string user = "U1", string channel = FakeSlack.DmChannel, string? triggerId = null) =>
        PostAsync("/slack/commands", Form(new()
        {
            ["token"] = "legacy",
            ["team_id"] = "T1",
            ["team_domain"] = "acme",
            ["channel_id"] = channel,
            ["channel_name"] = "directmessage",
            ["user_id"] = user,
            ["user_name"] = "ana",
            ["command"] = command,
            ["text"] = text,
            ["response_url"] = "https://hooks.slack.com/commands/T1/1/abc",
            ["trigger_id"] = triggerId ?? $"{Guid.NewGuid():N}.1.abc",
            ["api_app_id"] = "A1",
        }), "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> PostInteractionAsync(object payload) =>
        PostAsync("/slack/interactivity", Form(new() { ["payload"] = JsonSerializer.Serialize(payload) }), "application/x-www-form-urlencoded");

    /// <summary>Posts a body signed now (or <paramref name="signedAt"/>), optionally with a wrong signature or without headers.</summary>
    public async Task<HttpResponseMessage> PostAsync(
        string path, string body, string contentType, DateTimeOffset? signedAt = null, string? signature = null, bool sign = true, int? retryNum = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (sign)
        {
            var timestamp = (signedAt ?? clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", signature ?? SlackSignature.Compute(signingSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        }

        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await client.SendAsync(request);
    }

    public static string Form(Dictionary<string, string> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    /// <summary>A <c>message.im</c> event callback: a DM to the bot.</summary>
    public static object DirectMessage(string eventId, string text, string ts = "1772442000.000001", string user = "U1", string? threadTs = null) =>
        Callback(eventId, new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["channel_type"] = "im",
            ["channel"] = FakeSlack.DmChannel,
            ["user"] = user,
            ["text"] = text,
            ["ts"] = ts,
            ["thread_ts"] = threadTs,
            ["event_ts"] = ts,
        });

    public static object Callback(string eventId, Dictionary<string, object?> inner) => new Dictionary<string, object?>
    {
        ["token"] = "legacy",
        ["team_id"] = "T1",
        ["api_app_id"] = "A1",
        ["event"] = inner.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value),
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1772442000,
        ["authorizations"] = new[] { new { team_id = "T1", user_id = "UBOT", is_bot = true } },
    };

    /// <summary>A <c>block_actions</c> payload for a button on a message in a thread.</summary>
    public static object ButtonClick(string actionId, string value, string messageTs, string? threadTs, string user = "U1", string channel = FakeSlack.DmChannel) => new
    {
        type = "block_actions",
        team = new { id = "T1", domain = "acme" },
        user = new { id = user, username = "ana", name = "ana", team_id = "T1" },
        api_app_id = "A1",
        token = "legacy",
        trigger_id = $"{Guid.NewGuid():N}.1.abc",
        response_url = "https://hooks.slack.com/actions/T1/1/abc",
        container = new { type = "message", message_ts = messageTs, channel_id = channel, is_ephemeral = false, thread_ts = threadTs },
        channel = new { id = channel, name = "directmessage" },
        message = new { ts = messageTs, text = "card", thread_ts = threadTs },
        state = new { values = new { } },
        actions = new[] { new { action_id = actionId, block_id = "b1", type = "button", value, action_ts = "1772442001.000000", text = new { type = "plain_text", text = "Refresh" } } },
    };
}
