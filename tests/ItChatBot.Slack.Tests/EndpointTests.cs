using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Slack.Inbound;
using ItChatBot.Slack.WebApi;
using Microsoft.AspNetCore.Http;

namespace ItChatBot.Slack.Tests;

/// <summary>What the three endpoints answer, and that a refused request stores nothing.</summary>
public sealed class EndpointTests : IDisposable
{
    private readonly SlackTestApp _slack = new();

    private SlackDriver Driver => _slack.Driver;

    [Fact]
    public async Task Url_verification_answers_the_challenge_and_stores_nothing()
    {
        var response = await Driver.PostAsync("/slack/events", """{"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""", "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", json.RootElement.GetProperty("challenge").GetString());
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    public static TheoryData<string, string> Paths => new()
    {
        { "/slack/events", "application/json" },
        { "/slack/commands", "application/x-www-form-urlencoded" },
        { "/slack/interactivity", "application/x-www-form-urlencoded" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_wrong_signature_is_401_and_stores_nothing(string path, string contentType)
    {
        var response = await Driver.PostAsync(path, ValidBody(path), contentType, signature: "v0=" + new string('0', 64));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "signature does not match");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_stale_timestamp_is_401_and_stores_nothing(string path, string contentType)
    {
        var response = await Driver.PostAsync(path, ValidBody(path), contentType, signedAt: _slack.App.Clock.GetUtcNow().AddSeconds(-301));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "more than 5 minutes");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Missing_signature_headers_are_401_and_store_nothing(string path, string contentType)
    {
        var response = await Driver.PostAsync(path, ValidBody(path), contentType, sign: false);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "header is missing");
    }

    [Fact]
    public async Task Malformed_event_json_is_400_and_stores_nothing()
    {
        var response = await Driver.PostAsync("/slack/events", """{"type":"event_callback","event_id":""", "application/json");

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Theory]
    [InlineData("""{"type":"event_callback","event":{"type":"message"}}""", "event_id")]
    [InlineData("""{"type":"event_callback","event_id":"Ev1"}""", "'event' object")]
    [InlineData("""{"type":"something_else"}""", "Unknown Events API type")]
    [InlineData("""[1,2]""", "JSON object")]
    public async Task An_event_without_what_it_needs_is_400_and_stores_nothing(string body, string reason)
    {
        var response = await Driver.PostAsync("/slack/events", body, "application/json");

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Theory]
    [InlineData("user_id=U1&channel_id=D1&text=hi", "'command'")]
    [InlineData("command=%2Fit&channel_id=D1&text=hi", "'user_id'")]
    [InlineData("%%%&&&=", "'command'")]
    public async Task A_malformed_command_form_is_400_and_stores_nothing(string body, string reason)
    {
        var response = await Driver.PostAsync("/slack/commands", body, "application/x-www-form-urlencoded");

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task An_unknown_command_is_answered_ephemerally_and_stores_nothing()
    {
        var response = await Driver.PostCommandAsync("/deploy", "prod");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ephemeral", json.RootElement.GetProperty("response_type").GetString());
        Assert.Contains("/deploy is not a command", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Theory]
    [InlineData("nopayload=1", "'payload' field")]
    [InlineData("payload=%7Bnot-json", "not valid JSON")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%7D", "'actions' array")]
    [InlineData("payload=%7B%22type%22%3A%22wat%22%7D", "Unknown interaction type")]
    public async Task A_malformed_interaction_is_400_and_stores_nothing(string body, string reason)
    {
        var response = await Driver.PostAsync("/slack/interactivity", body, "application/x-www-form-urlencoded");

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_stores_nothing()
    {
        var huge = JsonSerializer.Serialize(SlackDriver.DirectMessage("EvBIG", new string('x', 300 * 1024)));

        var response = await Driver.PostAsync("/slack/events", huge, "application/json");

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "the most accepted is");
    }

    [Fact]
    public async Task A_body_that_ends_before_its_content_length_is_400_and_stores_nothing()
    {
        // Kestrel refuses such a request itself; the in-memory server hands the endpoint the short body, as a host
        // that does not hold clients to their Content-Length would. Signed over the whole body, sent without its end.
        var whole = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(SlackDriver.DirectMessage("EvSHORT", "printer jammed")));
        var timestamp = _slack.App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var context = await _slack.App.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/slack/events";
            http.Request.ContentType = "application/json";
            http.Request.Headers["X-Slack-Request-Timestamp"] = timestamp;
            http.Request.Headers["X-Slack-Signature"] = SlackSignature.Compute(SlackTestApp.SigningSecret, timestamp, whole);
            http.Request.ContentLength = whole.Length;
            http.Request.Body = new MemoryStream(whole, 0, whole.Length / 2);
        });

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Contains($"before the {whole.Length} bytes its Content-Length announced", await new StreamReader(context.Response.Body).ReadToEndAsync());
        Assert.Equal("1", context.Response.Headers["X-Slack-No-Retry"].ToString());
        Assert.Equal(0, _slack.StoredEnvelopes);
        Assert.Equal(0, await _slack.App.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_ssl_check_probe_is_answered_and_stores_nothing()
    {
        var response = await Driver.PostAsync("/slack/commands", "ssl_check=1&token=legacy", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Fact]
    public async Task The_bots_own_message_is_acknowledged_and_not_stored()
    {
        var own = SlackDriver.Callback("EvOWN", new()
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = FakeSlack.DmChannel, ["user"] = "UBOT", ["bot_id"] = "BBOT",
            ["text"] = "IT-1: laptop", ["ts"] = "1772442000.000100",
        });

        var response = await Driver.PostEventAsync(own);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Fact]
    public async Task An_event_from_the_bots_own_user_without_a_bot_id_is_acknowledged_and_not_stored()
    {
        // auth.test (answered by the fake as Slack does: user UBOT, bot BBOT) is asked in the background at start.
        await Eventually.TrueAsync(() => _slack.App.Get<SlackBotIdentity>().Current is not null, "the bot's identity");
        var own = SlackDriver.Callback("EvOWNUSER", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "UBOT",
            ["text"] = "IT-1: laptop", ["ts"] = "1772442000.000200", ["thread_ts"] = "1772442000.000100",
        });

        var response = await Driver.PostEventAsync(own);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Fact]
    public async Task A_failed_auth_test_neither_stops_the_host_nor_holds_up_events_and_is_asked_again_later()
    {
        using var slack = new SlackTestApp(arrange: s => s.Answer("auth.test", new { ok = false, error = "invalid_auth" }, priority: 2));
        await slack.Slack.WaitForCallAsync("auth.test");
        var identity = slack.App.Get<SlackBotIdentity>();

        var dm = await slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvNOAUTH", "my vpn is down"));
        var own = await slack.Driver.PostEventAsync(SlackDriver.Callback("EvNOAUTHOWN", new()
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = FakeSlack.DmChannel, ["user"] = "UBOT", ["bot_id"] = "BBOT",
            ["text"] = "IT-1: vpn", ["ts"] = "1772442000.000100",
        }));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (dm.StatusCode, own.StatusCode));
        await slack.Slack.WaitForCallAsync("chat.postMessage");
        Assert.Null(identity.Current);

        // Meanwhile the bot's own messages are still recognised by their bot_id: only the DM was stored.
        Assert.Equal(1, slack.StoredEnvelopes);

        // Slack answers again: the next ask, after the wait, learns the identity.
        slack.Slack.Answer("auth.test", new { ok = true, user_id = "UBOT", bot_id = "BBOT", team_id = "T1" }, priority: 1);
        await Eventually.TrueAsync(() =>
        {
            slack.App.Clock.Advance(SlackBotIdentity.FirstRetry);
            return identity.Current is not null;
        }, "auth.test asked again");
        Assert.Equal(new SlackIdentity("UBOT", "BBOT", "T1"), identity.Current);
    }

    [Fact]
    public async Task A_retried_event_is_acknowledged_every_time_and_processed_once()
    {
        var message = SlackDriver.DirectMessage("EvRETRY1", "my vpn is down");

        var first = await Driver.PostEventAsync(message);
        var retry1 = await Driver.PostEventAsync(message, retryNum: 1);
        var retry2 = await Driver.PostEventAsync(message, retryNum: 2);

        Assert.All([first, retry1, retry2], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "the inbox to be processed");
        Assert.Equal(1, await _slack.App.EventLog.CountAsync());
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task Slack_endpoints_are_off_without_slack_settings()
    {
        using var plain = new Testing.ItChatBotApp();
        using var client = plain.CreateClient();

        var response = await client.PostAsync("/slack/events", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal("1", response.Headers.GetValues("X-Slack-No-Retry").Single());
        Assert.Equal(0, _slack.StoredEnvelopes);
        Assert.Equal(0, await _slack.App.EventLog.CountAsync());
    }

    private static string ValidBody(string path) => path switch
    {
        "/slack/events" => JsonSerializer.Serialize(SlackDriver.DirectMessage("EvSIG", "printer jammed")),
        "/slack/commands" => "command=%2Fit&text=printer&user_id=U1&channel_id=D1&trigger_id=1.2.3",
        _ => SlackDriver.Form(new() { ["payload"] = JsonSerializer.Serialize(SlackDriver.ButtonClick("ticket.status", "IT-1", "1.1", null)) }),
    };

    public void Dispose() => _slack.Dispose();
}
