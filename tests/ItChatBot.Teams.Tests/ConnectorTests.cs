using System.Text.Json.Nodes;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Connector;
using ItChatBot.Teams.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Teams.Tests;

/// <summary>Connector and token calls against a real HTTP server on 127.0.0.1.</summary>
public sealed class ConnectorTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();

    private (ConnectorClient Client, BotTokenProvider Tokens) Create(string? tenantId = null, string? tokenEndpoint = null)
    {
        var options = Options.Create(new TeamsOptions
        {
            AppId = TeamsApp.AppId,
            AppPassword = "app-secret",
            TenantId = tenantId,
            TokenEndpoint = tokenEndpoint ?? _botFramework.TokenEndpoint,
        });
        var tokens = new BotTokenProvider(_http, options, _clock);
        return (new ConnectorClient(_http, tokens, _clock), tokens);
    }

    [Fact]
    public async Task A_send_uses_a_client_credentials_token_and_returns_the_activity_id()
    {
        var (client, _) = Create();

        var id = await client.SendAsync(_botFramework.ServiceUrl, "a:conv;1", new JsonObject { ["type"] = "message" }, null, default);

        Assert.Equal("activity-1", id);
        var token = _botFramework.Server.LogEntries.Single(e => e.RequestMessage.Path.EndsWith("/token", StringComparison.Ordinal)).RequestMessage;
        Assert.Contains("grant_type=client_credentials", token.Body, StringComparison.Ordinal);
        Assert.Contains($"client_id={TeamsApp.AppId}", token.Body, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", token.Body, StringComparison.Ordinal);
        var send = _botFramework.ConnectorCalls().Single().RequestMessage;
        Assert.Equal("/teams/v3/conversations/a:conv;1/activities", send.Path);
        Assert.Equal($"Bearer {BotFrameworkStandIn.AccessToken}", send.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task The_token_is_cached_until_shortly_before_it_expires()
    {
        var (_, tokens) = Create();

        await tokens.GetTokenAsync(default);
        await tokens.GetTokenAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(50));
        await tokens.GetTokenAsync(default);
        Assert.Equal(1, TokenCalls());

        _clock.Advance(TimeSpan.FromMinutes(6));
        await tokens.GetTokenAsync(default);
        Assert.Equal(2, TokenCalls());
    }

    [Fact]
    public void Single_and_multi_tenant_settings_choose_the_token_authority()
    {
        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", new TeamsOptions { AppId = TeamsApp.AppId }.ResolvedTokenEndpoint);
        Assert.Equal("https://login.microsoftonline.com/0f0e0d0c-0000-4000-8000-000000000001/oauth2/v2.0/token",
            new TeamsOptions { AppId = TeamsApp.AppId, TenantId = "0f0e0d0c-0000-4000-8000-000000000001" }.ResolvedTokenEndpoint);
    }

    [Fact]
    public async Task A_reply_and_an_update_use_the_activity_paths()
    {
        var (client, _) = Create();

        await client.SendAsync(_botFramework.ServiceUrl, "19:c@thread.tacv2", new JsonObject { ["type"] = "message" }, "1700000000001", default);
        await client.UpdateAsync(_botFramework.ServiceUrl, "19:c@thread.tacv2", "1700000000002", new JsonObject { ["type"] = "message" }, default);

        var calls = _botFramework.ConnectorCalls().Select(c => (c.RequestMessage.Method, c.RequestMessage.Path)).ToList();
        Assert.Equal(("POST", "/teams/v3/conversations/19:c@thread.tacv2/activities/1700000000001"), calls[0]);
        Assert.Equal(("PUT", "/teams/v3/conversations/19:c@thread.tacv2/activities/1700000000002"), calls[1]);
        Assert.Contains("\"replyToId\":\"1700000000001\"", _botFramework.ConnectorCalls()[0].RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_carries_its_retry_after_for_the_outbox()
    {
        _botFramework.Server.Given(Request.Create().WithPath("/teams/v3/conversations/busy/activities").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7").WithBody("{\"error\":{\"code\":\"Throttled\"}}"));
        var (client, _) = Create();

        var ex = await Assert.ThrowsAsync<ChannelSendException>(() =>
            client.SendAsync(_botFramework.ServiceUrl, "busy", new JsonObject { ["type"] = "message" }, null, default));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_without_retry_after_leaves_the_wait_to_the_outbox_backoff()
    {
        _botFramework.Server.Given(Request.Create().WithPath("/teams/v3/conversations/busy/activities").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429));
        var (client, _) = Create();

        var ex = await Assert.ThrowsAsync<ChannelSendException>(() =>
            client.SendAsync(_botFramework.ServiceUrl, "busy", new JsonObject { ["type"] = "message" }, null, default));

        Assert.Null(ex.RetryAfter);
        Assert.False(ex.Permanent);
    }

    [Fact]
    public async Task A_throttled_token_endpoint_without_retry_after_leaves_the_wait_to_the_outbox_backoff()
    {
        var endpoint = _botFramework.Url + "/throttled/oauth2/v2.0/token";
        _botFramework.Server.Given(Request.Create().WithPath("/throttled/oauth2/v2.0/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429));
        var (_, tokens) = Create(tokenEndpoint: endpoint);

        var ex = await Assert.ThrowsAsync<ChannelSendException>(() => tokens.GetTokenAsync(default));

        Assert.Null(ex.RetryAfter);
        Assert.False(ex.Permanent);
    }

    [Fact]
    public async Task Throttled_replies_without_retry_after_are_retried_with_a_growing_backoff()
    {
        using var key = new TestKey("key-1", "msteams");
        _botFramework.ServeKeys(key);
        _botFramework.Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/teams/v3/conversations/a:throttled/*")).UsingPost())
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(429));
        using var app = new TeamsApp(_botFramework);
        var outbox = app.Get<IOutbox>();

        await app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, "my laptop will not start", "a:throttled").Json(), app.ValidToken(key, _botFramework.ServiceUrl));

        // Each attempt waits longer than the last (the outbox's 2^attempts seconds), rather than a fixed second every time.
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var pending = await Eventually.WaitAsync(
                () => outbox.DueAsync(app.Clock.GetUtcNow().AddHours(1), 10).Result.FirstOrDefault(e => e.Attempts == attempt), $"attempt {attempt} kept pending");
            waits.Add(pending.NextAttemptAt - app.Clock.GetUtcNow());
            app.Clock.Advance(waits[^1]);
        }

        Assert.True(waits[0] > TimeSpan.Zero && waits[0] < waits[1] && waits[1] < waits[2], $"waits: {string.Join(", ", waits)}");
        Assert.Equal(3, _botFramework.ConnectorCalls().Count);
    }

    [Fact]
    public async Task A_5xx_is_a_send_failure_to_retry()
    {
        _botFramework.Server.Given(Request.Create().WithPath("/teams/v3/conversations/down/activities").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(503));
        var (client, _) = Create();

        var ex = await Assert.ThrowsAsync<ChannelSendException>(() =>
            client.SendAsync(_botFramework.ServiceUrl, "down", new JsonObject { ["type"] = "message" }, null, default));

        Assert.Contains("503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_reply_stays_in_the_outbox_and_is_delivered_after_retry_after()
    {
        using var key = new TestKey("key-1", "msteams");
        _botFramework.ServeKeys(key);
        // The first send is throttled, the next one succeeds.
        _botFramework.Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/teams/v3/conversations/a:throttled/*")).UsingPost())
            .InScenario("throttle").WillSetStateTo("open").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));
        using var app = new TeamsApp(_botFramework);

        await app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, "printer is out of toner", "a:throttled").Json(), app.ValidToken(key, _botFramework.ServiceUrl));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the throttled attempt");

        var outbox = app.Get<IOutbox>();
        var pending = await Eventually.WaitAsync(
            () => outbox.DueAsync(app.Clock.GetUtcNow().AddSeconds(31), 10).Result.FirstOrDefault(e => e.Attempts == 1), "the message kept pending");
        Assert.Equal(OutboxState.Pending, pending.State);
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(30), pending.NextAttemptAt);

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 2, "the retried send");
        var sent = await Eventually.WaitAsync(() => outbox.GetMessageAsync(pending.Message.Id).Result is { State: OutboxState.Sent } e ? e : null, "the message marked sent");
        Assert.Equal("activity-1", sent.PlatformMessageId);
    }

    private int TokenCalls() => _botFramework.Server.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/token", StringComparison.Ordinal));

    public void Dispose()
    {
        _http.Dispose();
        _botFramework.Dispose();
    }
}
