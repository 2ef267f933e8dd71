using System.Net;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// Inbound auth against a locally generated RSA key served from a local OpenID metadata endpoint: every
/// failure is a 401 (403 for a key not endorsed for the channel) and stores nothing.
/// </summary>
public sealed class JwtValidationTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public JwtValidationTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework);
    }

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    private string ServiceUrl => _botFramework.ServiceUrl;

    [Fact]
    public async Task A_valid_token_is_accepted_and_the_activity_is_stored_and_answered()
    {
        var activity = TestActivities.Message(ServiceUrl, "my laptop will not start");

        var response = await _app.PostActivityAsync(activity.Json(), _app.ValidToken(_key, ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the reply at the connector");
        Assert.Equal($"Bearer {BotFrameworkStandIn.AccessToken}", reply.RequestMessage.Headers!["Authorization"].Single());
        // The team comes from triage; the ticket is the first of whichever team it is.
        Assert.Matches("[A-Z]+-1: my laptop will not start", reply.RequestMessage.Body);
    }

    [Fact]
    public Task A_token_for_another_audience_is_refused() =>
        AssertRefusedAsync(_key.Token(TeamsApp.Issuer, "00000000-1111-2222-3333-444444444444", Now.AddMinutes(-1), Now.AddMinutes(59), ServiceUrl), "audience");

    [Fact]
    public Task A_token_from_another_issuer_is_refused() =>
        AssertRefusedAsync(_key.Token("https://sts.example.com/", TeamsApp.AppId, Now.AddMinutes(-1), Now.AddMinutes(59), ServiceUrl), "issuer");

    [Fact]
    public Task An_expired_token_is_refused() =>
        AssertRefusedAsync(_key.Token(TeamsApp.Issuer, TeamsApp.AppId, Now.AddHours(-2), Now.AddMinutes(-6), ServiceUrl), "expired");

    [Fact]
    public async Task A_token_expired_within_the_five_minute_skew_is_accepted()
    {
        var token = _key.Token(TeamsApp.Issuer, TeamsApp.AppId, Now.AddHours(-1), Now.AddMinutes(-4), ServiceUrl);

        var response = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public Task A_token_not_yet_valid_is_refused() =>
        AssertRefusedAsync(_key.Token(TeamsApp.Issuer, TeamsApp.AppId, Now.AddMinutes(6), Now.AddMinutes(66), ServiceUrl), "not valid before");

    [Fact]
    public Task A_token_for_another_service_url_is_refused() =>
        AssertRefusedAsync(_key.Token(TeamsApp.Issuer, TeamsApp.AppId, Now.AddMinutes(-1), Now.AddMinutes(59), "https://evil.example.com/teams/"), "serviceurl");

    [Fact]
    public Task An_unsigned_token_is_refused() =>
        AssertRefusedAsync(TestKey.Unsigned(TeamsApp.Issuer, TeamsApp.AppId, Now.AddMinutes(-1), Now.AddMinutes(59), ServiceUrl), "RS256");

    [Fact]
    public Task A_token_signed_by_an_unpublished_key_is_refused()
    {
        using var stranger = new TestKey("key-1", "msteams");
        return AssertRefusedAsync(stranger.Token(TeamsApp.Issuer, TeamsApp.AppId, Now.AddMinutes(-1), Now.AddMinutes(59), ServiceUrl), "signature");
    }

    [Fact]
    public Task A_request_without_a_token_is_refused() => AssertRefusedAsync(null, "Bearer");

    [Fact]
    public async Task A_key_not_endorsed_for_the_channel_is_forbidden()
    {
        using var other = new TestKey("key-webchat", "webchat");
        _botFramework.ServeKeys(_key, other);

        var response = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(other, ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
    }

    [Fact]
    public async Task A_key_that_names_no_channels_is_forbidden()
    {
        // protocols/teams.md §3.8: the signing key's endorsements must contain the channel; a key without the list has none.
        using var unendorsed = TestKey.WithoutEndorsements("key-plain");
        _botFramework.ServeKeys(_key, unendorsed);

        var response = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(unendorsed, ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("endorse", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_unknown_key_id_refreshes_the_keys_so_a_rotated_key_is_accepted()
    {
        var first = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(_key, ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, _botFramework.KeySetFetches());

        // The Bot Framework rotates its keys: key-1 is gone, key-2 signs from now on.
        using var rotated = new TestKey("key-2", "msteams");
        _botFramework.ServeKeys(rotated);
        _app.Clock.Advance(TimeSpan.FromMinutes(2));

        var second = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello again").Json(), _app.ValidToken(rotated, ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, _botFramework.KeySetFetches());

        // A made-up key id right after does not fetch the keys again (at most one refresh a minute).
        using var madeUp = new TestKey("key-3", "msteams");
        var third = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(madeUp, ServiceUrl));
        Assert.Equal(HttpStatusCode.Unauthorized, third.StatusCode);
        Assert.Equal(2, _botFramework.KeySetFetches());
    }

    [Fact]
    public async Task When_the_metadata_endpoint_is_down_past_24_hours_the_cached_keys_still_verify_and_it_is_asked_once_a_minute()
    {
        var first = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(_key, ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, MetadataFetches());

        var outage = Guid.NewGuid();
        _botFramework.Server.Given(Request.Create().WithPath("/v1/.well-known/openidconfiguration").UsingGet()).WithGuid(outage).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(503));
        _app.Clock.Advance(TimeSpan.FromHours(25));

        // The keys are due for their daily refresh, which fails: the cached key still verifies, and one failed try serves both requests.
        var during = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "still there?").Json(), _app.ValidToken(_key, ServiceUrl));
        var again = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "and now?").Json(), _app.ValidToken(_key, ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, MetadataFetches());

        // A key the cache does not hold cannot be checked while the endpoint is down: refused, and tried again only after a minute.
        using var rotated = new TestKey("key-2", "msteams");
        var unknown = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(rotated, ServiceUrl));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(2, MetadataFetches());
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        var unknownLater = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(rotated, ServiceUrl));
        Assert.Equal(HttpStatusCode.Unauthorized, unknownLater.StatusCode);
        Assert.Equal(3, MetadataFetches());

        // The endpoint is back, publishing the rotated key: the next try a minute on reads it.
        _botFramework.Server.DeleteMapping(outage);
        _botFramework.ServeKeys(_key, rotated);
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "hello").Json(), _app.ValidToken(rotated, ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(4, MetadataFetches());
    }

    private int MetadataFetches() => _botFramework.Server.LogEntries.Count(e => e.RequestMessage.Path == "/v1/.well-known/openidconfiguration");

    private async Task AssertRefusedAsync(string? token, string reason)
    {
        var response = await _app.PostActivityAsync(TestActivities.Message(ServiceUrl, "please store me").Json(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
        Assert.Equal(0, await _app.EventLog.CountAsync());
        Assert.Empty(_botFramework.ConnectorCalls());
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
