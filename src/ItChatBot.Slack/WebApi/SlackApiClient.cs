using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ItChatBot.Slack.WebApi;

/// <summary>
/// The few Slack Web API methods the bot uses, over a resilient <see cref="HttpClient"/> (transient failures and
/// short 429s are retried in the handler pipeline, honouring <c>Retry-After</c>). Write methods send JSON; reads
/// and the file-upload URL send forms, which every method accepts. Logical errors (<c>ok:false</c>) and
/// exhausted rate limits surface as <see cref="SlackApiException"/>.
/// </summary>
public sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options)
{
    public const string HttpClientName = "slack";

    private readonly SlackOptions _options = options.Value;

    public async Task<PostedMessage> PostMessageAsync(string channel, string text, JsonArray blocks, string? threadTs, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks.DeepClone(), ["unfurl_links"] = false };
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        var result = await CallJsonAsync("chat.postMessage", body, _options.BotToken, cancellationToken);
        return new PostedMessage(result.GetProperty("channel").GetString()!, result.GetProperty("ts").GetString()!);
    }

    public async Task<PostedMessage> UpdateAsync(string channel, string ts, string text, JsonArray blocks, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks.DeepClone() };
        var result = await CallJsonAsync("chat.update", body, _options.BotToken, cancellationToken);
        return new PostedMessage(result.GetProperty("channel").GetString()!, result.GetProperty("ts").GetString()!);
    }

    /// <summary>Returns the ephemeral message's <c>message_ts</c>.</summary>
    public async Task<string> PostEphemeralAsync(string channel, string user, string text, JsonArray blocks, string? threadTs, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text, ["blocks"] = blocks.DeepClone() };
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        var result = await CallJsonAsync("chat.postEphemeral", body, _options.BotToken, cancellationToken);
        return result.GetProperty("message_ts").GetString()!;
    }

    /// <summary>Opens a modal; <paramref name="triggerId"/> is good for 3 seconds after the user's click or command.</summary>
    public async Task<string> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken)
    {
        var result = await CallJsonAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, _options.BotToken, cancellationToken);
        return result.GetProperty("view").GetProperty("id").GetString()!;
    }

    public async Task<SlackUser> UserInfoAsync(string userId, CancellationToken cancellationToken)
    {
        var result = await CallFormAsync("users.info", [new("user", userId)], _options.BotToken, cancellationToken);
        return SlackUser.From(result.GetProperty("user"));
    }

    /// <summary>Null when no user of the workspace has that address (<c>users_not_found</c>).</summary>
    public async Task<SlackUser?> LookupByEmailAsync(string email, CancellationToken cancellationToken)
    {
        try
        {
            var result = await CallFormAsync("users.lookupByEmail", [new("email", email)], _options.BotToken, cancellationToken);
            return SlackUser.From(result.GetProperty("user"));
        }
        catch (SlackApiException ex) when (ex.Error == "users_not_found")
        {
            return null;
        }
    }

    /// <summary>The id of the bot's direct-message channel with a user.</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        var result = await CallFormAsync("conversations.open", [new("users", userId)], _options.BotToken, cancellationToken);
        return result.GetProperty("channel").GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Uploads a file the current way (<c>files.upload</c> is retired): get an upload URL, send the bytes there,
    /// then complete the upload into the channel and thread. Returns the file id.
    /// </summary>
    public async Task<string> UploadFileAsync(string channel, string? threadTs, string fileName, byte[] content, string? comment, CancellationToken cancellationToken)
    {
        var fileId = await BeginUploadAsync(fileName, content, cancellationToken);
        await CompleteUploadAsync(fileId, fileName, channel, threadTs, comment, cancellationToken);
        return fileId;
    }

    /// <summary>The first two steps: an upload URL, and the bytes sent to it. The file is not shared anywhere yet.</summary>
    public async Task<string> BeginUploadAsync(string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var ticket = await CallFormAsync(
            "files.getUploadURLExternal",
            [new("filename", fileName), new("length", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            _options.BotToken,
            cancellationToken);
        var uploadUrl = ticket.GetProperty("upload_url").GetString()!;
        var fileId = ticket.GetProperty("file_id").GetString()!;

        using var upload = new ByteArrayContent(content);
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(uploadUrl), upload, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SlackApiException(SlackApiException.UploadMethod, "connection_failed", null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(SlackApiException.UploadMethod, $"http_{(int)response.StatusCode}", RetryAfterOf(response));
            }
        }

        return fileId;
    }

    /// <summary>The last step: shares an uploaded file into a channel, in a thread when <paramref name="threadTs"/> is set.</summary>
    public async Task CompleteUploadAsync(string fileId, string title, string channel, string? threadTs, string? comment, CancellationToken cancellationToken)
    {
        var complete = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = title }),
            ["channel_id"] = channel,
        };
        if (threadTs is not null)
        {
            complete["thread_ts"] = threadTs;
        }

        if (!string.IsNullOrEmpty(comment))
        {
            complete["initial_comment"] = comment;
        }

        await CallJsonAsync("files.completeUploadExternal", complete, _options.BotToken, cancellationToken);
    }

    /// <summary>The bot's own user and bot ids (to ignore its own messages) and its team.</summary>
    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        var result = await CallFormAsync("auth.test", [], _options.BotToken, cancellationToken);
        return new SlackIdentity(
            result.GetProperty("user_id").GetString()!,
            result.TryGetProperty("bot_id", out var bot) ? bot.GetString() : null,
            result.TryGetProperty("team_id", out var team) ? team.GetString() : null);
    }

    /// <summary>A fresh Socket Mode WebSocket URL; needs the app-level token (<c>xapp-…</c>), not the bot token.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var result = await CallFormAsync("apps.connections.open", [], _options.AppToken, cancellationToken);
        return new Uri(result.GetProperty("url").GetString()!);
    }

    private Task<JsonElement> CallJsonAsync(string method, JsonObject body, string? token, CancellationToken cancellationToken) =>
        CallAsync(method, () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), token, cancellationToken);

    private Task<JsonElement> CallFormAsync(string method, KeyValuePair<string, string>[] fields, string? token, CancellationToken cancellationToken) =>
        CallAsync(method, () => new FormUrlEncodedContent(fields), token, cancellationToken);

    private async Task<JsonElement> CallAsync(string method, Func<HttpContent> content, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, method)) { Content = content() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SlackApiException(method, "connection_failed", null, ex);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No answer within Slack:RequestTimeout on any attempt (or within the HttpClient's own limit): the caller's
            // token was not cancelled, so this is a failed call, not a stop.
            throw new SlackApiException(method, "timeout", null, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new SlackApiException(method, "ratelimited", RetryAfterOf(response) ?? TimeSpan.FromSeconds(30));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, $"http_{(int)response.StatusCode}", RetryAfterOf(response));
            }

            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(json).RootElement;
            }
            catch (JsonException ex)
            {
                throw new SlackApiException(method, "invalid_response", null, ex);
            }

            if (!root.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var error = root.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown_error" : "unknown_error";
                throw new SlackApiException(method, error);
            }

            return root;
        }
    }

    private Uri BaseUri => new(_options.ApiBaseUrl.EndsWith('/') ? _options.ApiBaseUrl : _options.ApiBaseUrl + "/");

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            _ => null,
        };
}

public sealed record PostedMessage(string Channel, string Ts);

public sealed record SlackIdentity(string UserId, string? BotId, string? TeamId);
