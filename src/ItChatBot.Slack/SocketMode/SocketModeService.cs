using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ItChatBot.Slack.Inbound;
using ItChatBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Slack.SocketMode;

/// <summary>
/// Socket Mode, for workspaces that cannot reach a public URL: asks <c>apps.connections.open</c> for a fresh URL,
/// holds the WebSocket, stores each envelope's payload through the same intake as the HTTP endpoints, and acks it
/// with its <c>envelope_id</c>. Reconnects at once on Slack's <c>disconnect</c>, and with a growing back-off
/// (1 s … 30 s) when the socket drops, goes silent (<see cref="SlackOptions.SocketModePingTimeout"/>) or the URL
/// cannot be had; a connection that got its <c>hello</c> starts the back-off over.
/// </summary>
public sealed partial class SocketModeService(
    SlackApiClient api,
    SlackIntake intake,
    SlackBotIdentity self,
    IServiceProvider services,
    TimeProvider clock,
    IOptions<SlackOptions> options,
    ILogger<SocketModeService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    private int _connections;
    private int _backOffs;
    private int _failures; // failed connections in a row; only the connection loop touches it

    /// <summary>How many connections were opened so far (for tests and health).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// How many back-off waits were begun so far (for tests and health). Counted once the wait's timer is set, so a
    /// test that sees the count go up may move the clock on and know the wait sees it.
    /// </summary>
    public int BackOffs => Volatile.Read(ref _backOffs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool clean;
            try
            {
                clean = await RunConnectionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ConnectionFailed(logger, ex);
                clean = false;
            }

            _failures = clean ? 0 : _failures + 1;
            if (_failures > 0)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, _failures - 1)));
                try
                {
                    var wait = Task.Delay(delay, clock, stoppingToken);
                    Interlocked.Increment(ref _backOffs);
                    await wait;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>True when Slack asked us to reconnect (a fresh connection at once), false when the socket dropped.</summary>
    private async Task<bool> RunConnectionAsync(CancellationToken stoppingToken)
    {
        var url = await api.OpenConnectionAsync(stoppingToken);
        using var socket = new ClientWebSocket();

        // A connection that dies without a close (NAT timeout, network blip) leaves the receive below waiting for
        // ever. With a KeepAliveTimeout the socket pings after KeepAliveInterval without a frame and aborts itself when
        // no pong comes back in time, which ends the receive and brings a new connection (slack.md §7, after the node
        // SDK: client ping 5 s, timeout 30 s). Not a deadline on the receive: Slack sends no data while nothing
        // happens, and its own pings never reach ReceiveAsync, so a deadline would cut quiet but healthy connections.
        var pingTimeout = options.Value.SocketModePingTimeout;
        socket.Options.KeepAliveInterval = pingTimeout < PingInterval ? pingTimeout : PingInterval;
        socket.Options.KeepAliveTimeout = pingTimeout;
        await socket.ConnectAsync(url, stoppingToken);
        Interlocked.Increment(ref _connections);
        Log.Connected(logger, url.Host);

        while (socket.State == WebSocketState.Open)
        {
            var frame = await ReceiveAsync(socket, stoppingToken);
            if (frame is null)
            {
                return false;
            }

            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            switch (root.Str("type"))
            {
                case "hello":
                    // The connection works: a drop after this is its first failure, not one more in a run.
                    _failures = 0;
                    break;
                case "disconnect":
                    Log.Disconnect(logger, root.Str("reason") ?? "unknown");
                    await CloseQuietlyAsync(socket);
                    return true;
                default:
                    if (root.Str("envelope_id") is { } envelopeId)
                    {
                        var response = await AcceptAsync(root, stoppingToken);
                        await SendAsync(socket, response is null ? new { envelope_id = envelopeId } : new { envelope_id = envelopeId, payload = response }, stoppingToken);
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>Stores the payload like the HTTP endpoints would; returns a response payload for the ack, if any.</summary>
    private async Task<object?> AcceptAsync(JsonElement envelope, CancellationToken cancellationToken)
    {
        var payload = envelope.Obj("payload");
        var body = payload.ValueKind == JsonValueKind.Object ? payload.GetRawText() : "{}";
        switch (envelope.Str("type"))
        {
            case "events_api" when payload.Str("event_id") is { } eventId && SlackEventFilter.ShouldStore(payload.Obj("event"), self.Current):
                await intake.AcceptAsync(eventId, SlackEnvelopeKinds.Event, body, cancellationToken);
                return null;
            case "slash_commands" when payload.Str("command") is { } command:
                if (!SlackEndpoints.Commands.Contains(command))
                {
                    return new { response_type = "ephemeral", text = $"{command} is not a command of this app. Use /it <what you need> or /kpi help." };
                }

                await intake.AcceptAsync(SlackIntake.IdOf("cmd", payload.Str("trigger_id"), body), SlackEnvelopeKinds.CommandJson, body, cancellationToken);
                return null;
            case "interactive":
                var (store, _, response) = await SlackEndpoints.CheckInteractionAsync(payload, services, cancellationToken);
                if (store)
                {
                    await intake.AcceptAsync(SlackIntake.IdOf("act", payload.Str("trigger_id"), body), SlackEnvelopeKinds.InteractionJson, body, cancellationToken);
                }

                return response;
            default:
                return null;
        }
    }

    private async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (WebSocketException ex)
            {
                Log.ConnectionLost(logger, ex);
                return null;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // How a pending receive ends when the keep-alive aborted the socket (no pong in time); the reason
                // is the inner exception.
                Log.ConnectionLost(logger, ex.InnerException ?? ex);
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync(socket);
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object ack, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(ack), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The old connection is being replaced; how it ends does not matter.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Slack Socket Mode connected to {Host}")]
        public static partial void Connected(ILogger logger, string host);

        [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Slack asked to reconnect ({Reason})")]
        public static partial void Disconnect(ILogger logger, string reason);

        [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Slack Socket Mode connection failed; reconnecting with back-off")]
        public static partial void ConnectionFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Slack Socket Mode connection lost; reconnecting with back-off")]
        public static partial void ConnectionLost(ILogger logger, Exception exception);
    }
}
