using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Teams.Connector;

/// <summary>
/// The few Bot Connector REST calls the bot makes (protocols/teams.md §5), relative to the conversation's
/// <c>serviceUrl</c>. A 429 or 5xx (or a network failure) becomes a <see cref="ChannelSendException"/> carrying
/// <c>Retry-After</c> when the connector sent one, so the outbox tries again later (else after its own backoff) and
/// nothing is dropped.
/// </summary>
public sealed class ConnectorClient(HttpClient http, BotTokenProvider tokens, TimeProvider clock)
{
    /// <summary>Posts into the conversation, or as a reply to <paramref name="replyToId"/>; returns the new activity id.</summary>
    public Task<string> SendAsync(string serviceUrl, string conversationId, JsonObject activity, string? replyToId, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        if (replyToId is not null)
        {
            path += "/" + Uri.EscapeDataString(replyToId);
            activity["replyToId"] = replyToId;
        }

        return CallForIdAsync(HttpMethod.Post, serviceUrl, path, activity, cancellationToken);
    }

    /// <summary>Replaces an activity (a card changing in place); returns its id.</summary>
    public async Task<string> UpdateAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        activity["id"] = activityId;
        var id = await CallForIdAsync(HttpMethod.Put, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, cancellationToken);
        return string.IsNullOrEmpty(id) ? activityId : id;
    }

    /// <summary>Opens (or finds) the bot's 1:1 chat with a user who has the app installed; returns its conversation id.</summary>
    public Task<string> CreatePersonalConversationAsync(string serviceUrl, string botId, string? botName, string teamsUserId, string? tenantId, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = botId, ["name"] = botName },
            ["members"] = new JsonArray { new JsonObject { ["id"] = teamsUserId } },
            ["isGroup"] = false,
            ["tenantId"] = tenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
        };
        return CallForIdAsync(HttpMethod.Post, serviceUrl, "v3/conversations", body, cancellationToken);
    }

    private async Task<string> CallForIdAsync(HttpMethod method, string serviceUrl, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var baseUrl = serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/";
        using var request = new HttpRequestMessage(method, new Uri(new Uri(baseUrl), path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (await tokens.GetTokenAsync(cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ChannelSendException($"The connector at {baseUrl} could not be reached: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChannelSendException($"The connector at {baseUrl} did not answer in time.", null, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var operation = response.Headers.TryGetValues("X-Correlating-OperationId", out var ids) ? $" (operation {ids.First()})" : "";
                throw new ChannelSendException(
                    $"{method} {path} answered {(int)response.StatusCode}{operation}: {Shorten(text)}",
                    // Without Retry-After the outbox's exponential backoff decides (protocols/teams.md §8); a fixed wait would replace it.
                    RetryAfter(response, clock))
                {
                    // The bot removed from the conversation (403), a conversation that is gone (404), an activity refused (400).
                    Permanent = ChannelSendException.IsPermanentStatus((int)response.StatusCode),
                };
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return "";
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    ? id.GetString()!
                    : "";
            }
            catch (JsonException)
            {
                return "";
            }
        }
    }

    /// <summary><c>Retry-After</c> as seconds or as a date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider clock) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - clock.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300];
}
