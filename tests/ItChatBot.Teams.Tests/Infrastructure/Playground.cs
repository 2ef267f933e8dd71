using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests.Infrastructure;

/// <summary>
/// The Microsoft 365 Agents Playground (npm <c>@microsoft/m365agentsplayground</c>) as a child process, driven
/// through its own endpoints: <c>/_conversation/v1/...</c> to speak as the mocked user and press card buttons,
/// and its web client's WebSocket stream to see what arrives in the conversation. The executable comes from
/// <c>AGENTS_PLAYGROUND</c> (set by .ci/setup.d/30-teams.sh); without it the test fails and says so.
/// </summary>
public sealed class Playground : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<JsonObject> _frames = new();
    private Task? _receiving;

    private readonly TempFolder _workingFolder;

    private Playground(Process process, TempFolder workingFolder)
    {
        _process = process;
        _workingFolder = workingFolder;
    }

    public int Port { get; private set; }

    public HttpClient Http { get; } = new();

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<JsonObject> Frames => _frames;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<Playground> StartAsync(string botEndpoint)
    {
        var executable = Environment.GetEnvironmentVariable("AGENTS_PLAYGROUND");
        if (string.IsNullOrEmpty(executable) || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"The Agents Playground is not installed (AGENTS_PLAYGROUND='{executable}'). Run `source .ci/setup.d/30-teams.sh` first.");
        }

        // It writes devTools/m365agentsplayground.log under its working folder: keep that out of the repository.
        var folder = new TempFolder();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder.Path };
        foreach (var arg in new[] { "-e", botEndpoint, "-c", "msteams", "-p", "0", "--disable-telemetry" })
        {
            start.ArgumentList.Add(arg);
        }

        // Otherwise it tries to open a browser with xdg-open, which does not exist on CI, and exits.
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        var playground = new Playground(Process.Start(start)!, folder);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (playground._output)
            {
                playground._output.AppendLine(line);
            }

            if (line.StartsWith("Listening on ", StringComparison.Ordinal) && int.TryParse(line["Listening on ".Length..].Trim(), out var port))
            {
                listening.TrySetResult(port);
            }
        }

        playground._process.OutputDataReceived += (_, e) => Read(e.Data);
        playground._process.ErrorDataReceived += (_, e) => Read(e.Data);
        playground._process.BeginOutputReadLine();
        playground._process.BeginErrorReadLine();
        playground._process.EnableRaisingEvents = true;
        playground._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The playground exited: {playground.Output}"));

        playground.Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await playground._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{playground.Port}/_ws_conversation/v1/conversations/stream"), CancellationToken.None);
        playground._receiving = playground.ReceiveAsync();
        return playground;
    }

    public async Task<JsonObject> ConfigAsync() =>
        (await Http.GetFromJsonAsync<JsonObject>($"{Url}/_internal/v1/config"))!["config"]!.AsObject();

    public async Task<JsonObject> SayAsync(string conversationId, string userId, string text)
    {
        var response = await Http.PostAsJsonAsync($"{Url}/_conversation/v1/conversations/{conversationId}/messages", new { from = new { id = userId }, text, textFormat = "plain" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the playground refused the message: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Presses an Action.Execute button the way the web client does; returns the bot's invoke response as the client gets it.</summary>
    public async Task<JsonObject> PressAsync(string conversationId, string userId, string cardMessageId, JsonObject action)
    {
        var response = await Http.PostAsJsonAsync($"{Url}/_conversation/v1/invoke", new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject { ["action"] = action.DeepClone(), ["trigger"] = "manual" },
            ["from"] = new JsonObject { ["id"] = userId },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["replyToId"] = cardMessageId,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the playground refused the invoke: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray())) is JsonObject frame)
                {
                    _frames.Enqueue(frame);
                }

                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or JsonException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_receiving is not null)
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _stop.Dispose();
        _workingFolder.Dispose();
    }
}
