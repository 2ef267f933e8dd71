using System.Net;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Slack.SocketMode;

namespace ItChatBot.Slack.Tests;

/// <summary>Socket Mode against a local WebSocket server: envelopes are acked, processed like HTTP, and the socket comes back.</summary>
public sealed class SocketModeTests : IAsyncLifetime
{
    private FakeSocketServer _socket = null!;
    private SlackTestApp _slack = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_events_envelope_is_acked_and_opens_a_ticket_whose_card_reaches_slack()
    {
        await ConnectAsync();
        var envelope = Envelope("env-1", "events_api", SlackDriver.DirectMessage("EvSOCK1", "my monitor flickers", "1772442000.000001"));

        await _socket.SendAsync(envelope);

        await Eventually.TrueAsync(() => _socket.Received.Contains("""{"envelope_id":"env-1"}"""), "the ack of env-1");
        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal("1772442000.000001", post.GetProperty("thread_ts").GetString());
        Assert.Equal($"Bearer {FakeSlack.AppToken}", _slack.Slack.Calls("apps.connections.open")[0].RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Channel_chatter_and_the_bots_own_messages_are_acked_and_not_stored()
    {
        await ConnectAsync();
        var chatter = SlackDriver.Callback("EvSOCKCHAT", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "lunch?", ["ts"] = "1772442200.000001",
        });
        var own = SlackDriver.DirectMessage("EvSOCKSELF", "a card the bot posted", "1772442200.000002", user: "UBOT");
        await Eventually.TrueAsync(() => _slack.App.Get<ItChatBot.Slack.Inbound.SlackBotIdentity>().Current is not null, "the bot's identity from auth.test");

        await _socket.SendAsync(Envelope("env-chat", "events_api", chatter));
        await _socket.SendAsync(Envelope("env-self", "events_api", own));

        await Eventually.TrueAsync(() => _socket.Received.Contains("""{"envelope_id":"env-self"}"""), "the ack of env-self");
        Assert.Contains("""{"envelope_id":"env-chat"}""", _socket.Received);
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Fact]
    public async Task A_redelivered_envelope_is_acked_again_and_processed_once()
    {
        await ConnectAsync();
        var callback = SlackDriver.DirectMessage("EvSOCK2", "cannot print", "1772442000.000002");

        await _socket.SendAsync(Envelope("env-2", "events_api", callback));
        await _socket.SendAsync(Envelope("env-2b", "events_api", callback, retryAttempt: 1));

        await Eventually.TrueAsync(() => _socket.Received.Contains("""{"envelope_id":"env-2b"}"""), "the ack of the retry");
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "processing");
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task A_slash_command_envelope_is_handled_and_an_unknown_one_answered_in_the_ack()
    {
        await ConnectAsync();
        var command = new Dictionary<string, string>
        {
            ["command"] = "/it", ["text"] = "help", ["user_id"] = "U1", ["channel_id"] = "C0SUPPORT", ["trigger_id"] = "t.1", ["team_id"] = "T1",
        };
        await _socket.SendAsync(Envelope("env-3", "slash_commands", command, acceptsResponse: true));
        await _socket.SendAsync(Envelope("env-4", "slash_commands", new Dictionary<string, string>(command) { ["command"] = "/deploy" }, acceptsResponse: true));

        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Contains("/it help", ephemeral.GetProperty("text").GetString());
        await Eventually.TrueAsync(() => _socket.Received.Any(r => r.Contains("env-4", StringComparison.Ordinal)), "the ack of env-4");
        using var ack = JsonDocument.Parse(_socket.Received.Single(r => r.Contains("env-4", StringComparison.Ordinal)));
        Assert.Contains("/deploy is not a command", ack.RootElement.GetProperty("payload").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_disconnect_message_makes_it_reconnect_with_a_fresh_url_at_once()
    {
        await ConnectAsync();

        await _socket.SendAsync("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"test"}}""");

        await Eventually.TrueAsync(() => _socket.Connections == 2, "the second connection");
        Assert.Equal(2, _slack.Slack.Calls("apps.connections.open").Count);
        await _socket.SendAsync(Envelope("env-5", "events_api", SlackDriver.DirectMessage("EvSOCK5", "mouse broken", "1772442000.000005")));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
    }

    [Fact]
    public async Task A_dropped_socket_is_reconnected_after_a_back_off()
    {
        await ConnectAsync();

        _socket.Drop();

        // The back-off waits on the app's clock; move it on until the client is back.
        await Eventually.TrueAsync(() =>
        {
            _slack.App.Clock.Advance(TimeSpan.FromSeconds(1));
            return _socket.Connections == 2;
        }, "the reconnection");
        await _socket.SendAsync(Envelope("env-6", "events_api", SlackDriver.DirectMessage("EvSOCK6", "headset broken", "1772442000.000006")));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
    }

    [Fact]
    public async Task A_connection_that_said_hello_resets_the_back_off_so_each_later_drop_waits_only_the_first_step()
    {
        await ConnectAsync();
        var service = _slack.App.Get<SocketModeService>();

        for (var drop = 1; drop <= 3; drop++)
        {
            await AssertPastHelloAsync($"probe-{drop}");

            _socket.Drop();

            // One second on the app's clock, moved once the wait has begun, must bring the client back every time.
            await Eventually.TrueAsync(() => service.BackOffs == drop, $"back-off {drop}");
            _slack.App.Clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => _socket.Connections == drop + 1, $"connection {drop + 1}");
        }
    }

    [Fact]
    public async Task A_socket_that_goes_silent_without_closing_is_given_up_and_replaced()
    {
        // The first connection gets its hello and then nothing, not even the answers to pings. The ping timeout is
        // short to keep the test short, but long enough that the second connection's pongs make it on a busy machine.
        await ConnectAsync(silentConnections: 1, new Dictionary<string, string?> { ["Slack:SocketModePingTimeout"] = "00:00:02" });

        // Its loss is only noticed when a ping goes unanswered; the back-off after it waits on the app's clock.
        await Eventually.TrueAsync(() =>
        {
            _slack.App.Clock.Advance(TimeSpan.FromSeconds(1));
            return _socket.Connections == 2;
        }, "a second connection");
        Assert.Equal(2, _slack.Slack.Calls("apps.connections.open").Count);
        await _socket.SendAsync(Envelope("env-7", "events_api", SlackDriver.DirectMessage("EvSOCK7", "vpn keeps dropping", "1772442000.000007")));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
    }

    [Fact]
    public async Task The_http_endpoints_stay_off_in_socket_mode_without_a_signing_secret()
    {
        await ConnectAsync();

        var response = await _slack.Client.PostAsync("/slack/events", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Starts the fake Socket Mode server and the host, and waits for the host's first connection.</summary>
    private async Task ConnectAsync(int silentConnections = 0, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _socket = await FakeSocketServer.StartAsync(silentConnections);
        _slack = new SlackTestApp(httpEndpoints: false, socketMode: true, arrange: slack => slack.Answer("apps.connections.open", new { ok = true, url = _socket.Url.ToString() }), settings: settings);
        _ = _slack.App.Services; // starts the host and with it the socket
        await Eventually.TrueAsync(() => _socket.Connections == 1, "the first connection");
    }

    /// <summary>An envelope acked on the newest connection shows the client read that connection's hello, which came first.</summary>
    private async Task AssertPastHelloAsync(string envelopeId)
    {
        await _socket.SendAsync(Envelope(envelopeId, "events_api", new { }));
        await Eventually.TrueAsync(() => _socket.Received.Contains($$"""{"envelope_id":"{{envelopeId}}"}"""), $"the ack of {envelopeId}");
    }

    private static string Envelope(string id, string type, object payload, int retryAttempt = 0, bool acceptsResponse = false) =>
        JsonSerializer.Serialize(new
        {
            envelope_id = id,
            type,
            payload,
            accepts_response_payload = acceptsResponse,
            retry_attempt = retryAttempt,
            retry_reason = retryAttempt > 0 ? "timeout" : "",
        });

    public async Task DisposeAsync()
    {
        // A test whose start failed may have neither.
        _slack?.Dispose();
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
    }
}
