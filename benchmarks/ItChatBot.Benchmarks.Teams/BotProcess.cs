using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ItChatBot.Benchmarks.Teams;

/// <summary>A bot under test as a child process on 127.0.0.1, port chosen by the OS and read from its output.</summary>
public sealed partial class BotProcess(string name, ProcessStartInfo start, string? dataFolder) : IAsyncDisposable
{
    private Process? _process;

    public string Name { get; } = name;

    /// <summary>ItChatBot with Teams in the development no-auth mode and a fresh LiteDB file.</summary>
    public static BotProcess ItChatBot(string? dataRoot = null)
    {
        var data = Path.Combine(dataRoot ?? Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = data };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "itchatbot.dll"));
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Teams__DevelopmentNoAuth"] = "true";
        start.Environment["Storage__LiteDb__Path"] = Path.Combine(data, "itchatbot.db");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["DOTNET_gcServer"] = "0";
        return new BotProcess("ItChatBot", start, data);
    }

    /// <summary>The botbuilder echo bot in ./botbuilder (run `npm ci` there first).</summary>
    public static BotProcess BotBuilder()
    {
        var folder = Path.Combine(RepositoryRoot(), "benchmarks", "ItChatBot.Benchmarks.Teams", "botbuilder");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "botbuilder")))
        {
            throw new InvalidOperationException($"botbuilder is not installed: run `npm ci` in {folder}.");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder };
        start.ArgumentList.Add("index.js");
        start.Environment["PORT"] = "0";
        return new BotProcess("botbuilder", start, null);
    }

    public async Task<string> StartAsync()
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start)!;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (Port().Match(line) is { Success: true } m)
            {
                ready.TrySetResult($"http://127.0.0.1:{m.Groups[1].Value}/api/messages");
            }
        }

        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (dataFolder is not null)
        {
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ItChatBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No ItChatBot.sln above the benchmark.");
    }

    [GeneratedRegex(@"(?:Now listening on: http://127\.0\.0\.1:|Listening on )(\d+)")]
    private static partial Regex Port();
}
