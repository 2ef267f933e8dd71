using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// Slack's Socket Mode end on 127.0.0.1: a Kestrel WebSocket server that greets each connection with
/// <c>hello</c>, lets the test push frames to the newest connection, and records what the client sends back.
/// The first <c>silentConnections</c> get their <c>hello</c> and then nothing: the server holds the TCP connection
/// open but never reads from it, so the client's pings go unanswered, as behind a NAT that forgot the connection.
/// </summary>
public sealed class FakeSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _silentConnections;
    private Connection? _current;
    private int _connections;

    private FakeSocketServer(WebApplication app, int silentConnections)
    {
        _app = app;
        _silentConnections = silentConnections;
    }

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyCollection<string> Received => _received;

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeSocketServer> StartAsync(int silentConnections = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeSocketServer(app, silentConnections);
        app.UseWebSockets();
        app.Map("/link", server.AcceptAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/link/?ticket=t1&app_id=A1");
        return server;
    }

    public Task SendAsync(string json) =>
        _current?.SendAsync(json) ?? throw new InvalidOperationException("No client is connected.");

    /// <summary>Drops the newest connection without a close handshake, as a network failure would.</summary>
    public void Drop() => _current?.Abort();

    public async ValueTask DisposeAsync()
    {
        _current?.Abort();
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket);

        // Counted once greeted, so whatever a test sends on a connection it has seen counted comes after the hello.
        await connection.SendAsync("""{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"},"debug_info":{"host":"test"}}""");
        _current = connection;
        var number = Interlocked.Increment(ref _connections);
        if (number <= _silentConnections)
        {
            await HoldSilentlyAsync(context.RequestAborted);
            return;
        }

        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _received.Enqueue(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Dropped on purpose by the test, or the client went away.
        }
    }

    /// <summary>
    /// Neither reads nor closes until the client goes away or the server stops. Not reading is what keeps it silent:
    /// the server's WebSocket answers a ping only while a receive is running.
    /// </summary>
    private async Task HoldSilentlyAsync(CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on the connection, or the test is over.
        }
    }

    private sealed class Connection(WebSocket socket)
    {
        private readonly SemaphoreSlim _sending = new(1, 1);

        public async Task SendAsync(string json)
        {
            await _sending.WaitAsync();
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _sending.Release();
            }
        }

        public void Abort() => socket.Abort();
    }
}
