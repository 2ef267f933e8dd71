using System.Text.Json.Nodes;
using ItChatBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Slack.Tests;

/// <summary>Each Web API call against Slack's stand-in on 127.0.0.1: the body Slack documents, and Slack's answers.</summary>
public sealed class WebApiClientTests : IDisposable
{
    private readonly FakeSlack _slack = new();
    private readonly ServiceProvider _services;
    private readonly SlackApiClient _api;

    public WebApiClientTests()
    {
        _services = Services(new SlackOptions { BotToken = FakeSlack.BotToken, AppToken = FakeSlack.AppToken, ApiBaseUrl = _slack.ApiBaseUrl });
        _api = _services.GetRequiredService<SlackApiClient>();
    }

    /// <summary>The client as the host registers it (with its resilience pipeline), on these settings.</summary>
    private static ServiceProvider Services(SlackOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddSlackApiClient();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task PostMessage_sends_json_with_the_bot_token_thread_and_fallback_text()
    {
        var sent = await _api.PostMessageAsync("C1", "fallback", [new JsonObject { ["type"] = "divider" }], "1772442000.000001", default);

        var call = Assert.Single(_slack.Calls("chat.postMessage"));
        Assert.Equal($"Bearer {FakeSlack.BotToken}", call.RequestMessage.Headers!["Authorization"].Single());
        Assert.StartsWith("application/json", call.RequestMessage.Headers["Content-Type"].Single());
        var body = FakeSlack.Json(call);
        Assert.Equal("C1", body.GetProperty("channel").GetString());
        Assert.Equal("fallback", body.GetProperty("text").GetString());
        Assert.Equal("1772442000.000001", body.GetProperty("thread_ts").GetString());
        Assert.Equal("divider", body.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Equal(new PostedMessage(FakeSlack.DmChannel, FakeSlack.PostedTs), sent);
    }

    [Fact]
    public async Task Update_names_the_channel_and_ts_of_the_card_it_replaces()
    {
        await _api.UpdateAsync("C1", "1772442000.000100", "new", [], default);

        var body = FakeSlack.Json(Assert.Single(_slack.Calls("chat.update")));
        Assert.Equal("C1", body.GetProperty("channel").GetString());
        Assert.Equal("1772442000.000100", body.GetProperty("ts").GetString());
        Assert.Equal("new", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task PostEphemeral_names_the_user_and_returns_the_message_ts()
    {
        var ts = await _api.PostEphemeralAsync("C1", "U7", "only you", [], "1.2", default);

        var body = FakeSlack.Json(Assert.Single(_slack.Calls("chat.postEphemeral")));
        Assert.Equal("U7", body.GetProperty("user").GetString());
        Assert.Equal("1.2", body.GetProperty("thread_ts").GetString());
        Assert.Equal("1772442000.000200", ts);
    }

    [Fact]
    public async Task ViewsOpen_sends_the_trigger_and_the_view()
    {
        var id = await _api.OpenViewAsync("trig.1", new JsonObject { ["type"] = "modal" }, default);

        var body = FakeSlack.Json(Assert.Single(_slack.Calls("views.open")));
        Assert.Equal("trig.1", body.GetProperty("trigger_id").GetString());
        Assert.Equal("modal", body.GetProperty("view").GetProperty("type").GetString());
        Assert.Equal("V123", id);
    }

    [Fact]
    public async Task Users_are_read_with_forms_and_mapped()
    {
        var user = await _api.UserInfoAsync("U1", default);
        var byEmail = await _api.LookupByEmailAsync("ana@example.com", default);

        Assert.Equal("U1", FakeSlack.Form(Assert.Single(_slack.Calls("users.info")))["user"]);
        Assert.Equal("ana@example.com", FakeSlack.Form(Assert.Single(_slack.Calls("users.lookupByEmail")))["email"]);
        Assert.Equal(new SlackUser("U1", "ana", "Ana Lopez", "ana@example.com", false, false), user);
        Assert.Equal("U1", byEmail!.Id);
    }

    [Fact]
    public async Task LookupByEmail_of_a_stranger_is_null()
    {
        _slack.Answer("users.lookupByEmail", new { ok = false, error = "users_not_found" }, priority: 1);

        Assert.Null(await _api.LookupByEmailAsync("nobody@example.com", default));
    }

    [Fact]
    public async Task ConversationsOpen_returns_the_dm_channel()
    {
        Assert.Equal(FakeSlack.DmChannel, await _api.OpenDirectMessageAsync("U1", default));
        Assert.Equal("U1", FakeSlack.Form(Assert.Single(_slack.Calls("conversations.open")))["users"]);
    }

    [Fact]
    public async Task A_file_is_uploaded_in_three_steps_into_the_thread()
    {
        var content = "key,status\nIT-1,Open\n"u8.ToArray();

        var fileId = await _api.UploadFileAsync("C1", "1.2", "export.csv", content, "Tickets export", default);

        var urlCall = FakeSlack.Form(Assert.Single(_slack.Calls("files.getUploadURLExternal")));
        Assert.Equal("export.csv", urlCall["filename"]);
        Assert.Equal(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), urlCall["length"]);
        var upload = Assert.Single(_slack.Server.LogEntries, e => e.RequestMessage.Path == "/upload/F123");
        Assert.Equal(content, upload.RequestMessage.BodyAsBytes);
        var complete = FakeSlack.Json(Assert.Single(_slack.Calls("files.completeUploadExternal")));
        Assert.Equal("F123", complete.GetProperty("files")[0].GetProperty("id").GetString());
        Assert.Equal("C1", complete.GetProperty("channel_id").GetString());
        Assert.Equal("1.2", complete.GetProperty("thread_ts").GetString());
        Assert.Equal("Tickets export", complete.GetProperty("initial_comment").GetString());
        Assert.Equal("F123", fileId);
    }

    [Fact]
    public async Task Apps_connections_open_uses_the_app_token()
    {
        _slack.Answer("apps.connections.open", new { ok = true, url = "wss://wss.example/link/?ticket=1" });

        var url = await _api.OpenConnectionAsync(default);

        Assert.Equal($"Bearer {FakeSlack.AppToken}", Assert.Single(_slack.Calls("apps.connections.open")).RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal("wss://wss.example/link/?ticket=1", url.ToString());
    }

    [Fact]
    public async Task Auth_test_gives_the_bots_own_ids()
    {
        Assert.Equal(new SlackIdentity("UBOT", "BBOT", "T1"), await _api.AuthTestAsync(default));
    }

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_waited_out_and_retried()
    {
        _slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).InScenario("limited").WillSetStateTo("once").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));

        var started = TimeProvider.System.GetTimestamp();
        var sent = await _api.PostMessageAsync("C1", "hi", [], null, default);

        Assert.Equal(FakeSlack.PostedTs, sent.Ts);
        Assert.Equal(2, _slack.Calls("chat.postMessage").Count);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "the retry waited for Retry-After");
    }

    [Fact]
    public async Task A_429_with_a_long_Retry_After_is_handed_back_with_the_wait()
    {
        _slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.PostMessageAsync("C1", "hi", [], null, default));

        Assert.Equal("ratelimited", error.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Single(_slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task Ok_false_surfaces_slacks_error_code_without_retrying()
    {
        _slack.Answer("chat.postMessage", new { ok = false, error = "channel_not_found" }, priority: 1);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.PostMessageAsync("C404", "hi", [], null, default));

        Assert.Equal("channel_not_found", error.Error);
        Assert.Null(error.RetryAfter);
        Assert.True(error.Permanent);
        Assert.Single(_slack.Calls("chat.postMessage"));
    }

    [Theory]
    [InlineData("channel_not_found", true)]
    [InlineData("invalid_auth", true)]
    [InlineData("invalid_blocks", true)]
    [InlineData("http_404", true)]
    [InlineData("http_403", true)]
    [InlineData("ratelimited", false)]
    [InlineData("timeout", false)]
    [InlineData("connection_failed", false)]
    [InlineData("http_503", false)]
    [InlineData("http_429", false)]
    [InlineData("http_408", false)]
    [InlineData("fatal_error", false)]
    [InlineData("internal_error", false)]
    public void Only_errors_no_retry_can_change_are_permanent(string error, bool permanent) =>
        Assert.Equal(permanent, new SlackApiException("chat.postMessage", error).Permanent);

    [Fact]
    public void A_refused_upload_is_not_permanent_because_the_retry_asks_for_a_new_upload_url() =>
        Assert.False(new SlackApiException(SlackApiException.UploadMethod, "http_403").Permanent);

    [Fact]
    public async Task A_server_error_is_retried_until_it_passes()
    {
        _slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.update")).InScenario("flaky").WillSetStateTo("recovered").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(503));

        await _api.UpdateAsync("C1", "1.1", "x", [], default);

        Assert.Equal(2, _slack.Calls("chat.update").Count);
    }

    [Fact]
    public async Task A_call_with_no_answer_in_time_is_tried_four_times_then_fails_as_a_timeout()
    {
        _slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).AtPriority(1)
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(3)).WithBodyAsJson(new { ok = true, channel = "C1", ts = "1.1" }));
        await using var provider = Services(new SlackOptions { BotToken = FakeSlack.BotToken, ApiBaseUrl = _slack.ApiBaseUrl, RequestTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<SlackApiException>(() => provider.GetRequiredService<SlackApiClient>().PostMessageAsync("C1", "hi", [], null, default));

        Assert.Equal("timeout", error.Error);
        Assert.Null(error.RetryAfter);
        await _slack.WaitForCallAsync("chat.postMessage", count: 4);
    }

    public void Dispose()
    {
        _services.Dispose();
        _slack.Dispose();
    }
}
