using System.Diagnostics;
using System.Net.Http.Json;
using ItChatBot.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Benchmarks;

/// <summary>
/// Starts the real host on a loopback port with a fresh LiteDB file and sends local-chat messages at a fixed
/// rate (open loop: a request starts on schedule whether or not earlier ones have finished), each opening a
/// ticket; reports latency percentiles of the full round trip (HTTP, routing, ticket creation, reply).
/// </summary>
public static class ChatRoundTrip
{
    public static async Task<int> RunAsync(int rate, int seconds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder();
        // Through configuration: the host's appsettings.json (copied beside this program) names port 5080 under Urls.
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Storage:LiteDb:Path"] = Path.Combine(folder, "chat.db");
        builder.AddItChatBot();
        await using var app = builder.Build();
        app.MapItChatBot();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var client = new HttpClient { BaseAddress = new Uri(address) };
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(client, i);
        }

        var store = app.Services.GetRequiredService<ItChatBot.Storage.LiteDb.LiteDbStore>();
        var before = store.WriterStats;
        var total = rate * seconds;
        var latencies = new double[total];
        var startedAt = new double[total];
        var failures = 0;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                startedAt[n] = clock.Elapsed.TotalSeconds;
                try
                {
                    await SendAsync(client, 1000 + n);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(tasks);
        var achieved = total / clock.Elapsed.TotalSeconds;
        // When the slowest requests started: bunched together points at a pause (a checkpoint, a GC), spread out at queueing.
        var slowest = Enumerable.Range(0, total).OrderByDescending(i => latencies[i]).Take(10).OrderBy(i => startedAt[i]);
        Console.WriteLine("slowest started at s: " + string.Join(", ", slowest.Select(i => $"{startedAt[i]:F2} ({latencies[i]:F0} ms)")));
        Array.Sort(latencies);
        Console.WriteLine($"{total} requests at {rate}/s for {seconds} s (achieved {achieved:F0}/s), {failures} failed");
        var after = store.WriterStats;
        Console.WriteLine($"store writes: {after.Writes - before.Writes} ({(after.Writes - before.Writes) / (double)total:F1} per request) in {after.Commits - before.Commits} commits ({after.LogSyncs - before.LogSyncs} log fsyncs), {after.Fallbacks - before.Fallbacks} batches re-run alone");
        Console.WriteLine($"round trip ms: p50 {P(latencies, 0.50):F2}  p90 {P(latencies, 0.90):F2}  p99 {P(latencies, 0.99):F2}  max {latencies[^1]:F2}");
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static async Task SendAsync(HttpClient client, int n)
    {
        using var response = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Text, n), clientMessageId = $"bench-{n}" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The message sent, {0} being its number; BENCH_TEXT overrides it (e.g. one that starts no workflow).</summary>
    private static readonly string Text = Environment.GetEnvironmentVariable("BENCH_TEXT") ?? "my laptop number {0} will not start";

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
