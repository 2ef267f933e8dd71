using System.Collections.Concurrent;
using ItChatBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Host.Tests;

/// <summary>The knowledge base is indexed when the service starts, not when the first message asks for it.</summary>
public sealed class KnowledgeWarmUpTests : IDisposable
{
    private readonly TempFolder _articles = new();

    public void Dispose() => _articles.Dispose();

    [Fact]
    public async Task The_articles_are_indexed_at_start_before_anyone_writes()
    {
        File.WriteAllText(_articles.File("vpn-setup.md"), "---\ntitle: Set up the VPN\nteam: IT\ncategory: network\n---\nInstall the client, then sign in.\n");
        using var app = new LoggingApp(new Dictionary<string, string?> { ["Automation:KnowledgePath"] = _articles.Path });

        _ = app.Services; // starts the host; no request is made

        Assert.True(await app.Logs.WaitForAsync(m => m.StartsWith("Knowledge base: 1 articles indexed from ", StringComparison.Ordinal)),
            "the index was built at start: " + string.Join(" | ", app.Logs.Messages));
    }

    [Fact]
    public async Task A_missing_articles_folder_is_reported_at_start()
    {
        var missing = Path.Combine(_articles.Path, "no-such-folder");
        using var app = new LoggingApp(new Dictionary<string, string?> { ["Automation:KnowledgePath"] = missing });

        _ = app.Services;

        Assert.True(await app.Logs.WaitForAsync(m => m.Contains($"the folder {missing} does not exist", StringComparison.Ordinal)),
            "the warning came at start: " + string.Join(" | ", app.Logs.Messages));
    }

    private sealed class LoggingApp(IReadOnlyDictionary<string, string?> settings) : ItChatBotApp(settings)
    {
        public LogSink Logs { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
    }

    /// <summary>Keeps every message the host logs, to look for one.</summary>
    private sealed class LogSink : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IEnumerable<string> Messages => _messages;

        public async Task<bool> WaitForAsync(Func<string, bool> match)
        {
            for (var waited = 0; waited < 200; waited++)
            {
                if (_messages.Any(match))
                {
                    return true;
                }

                await Task.Delay(50);
            }

            return false;
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
