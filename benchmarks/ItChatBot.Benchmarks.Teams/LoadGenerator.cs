using System.Diagnostics;
using System.Text;

namespace ItChatBot.Benchmarks.Teams;

/// <summary>
/// Open-loop load: activity i is sent at start + i/rate whether or not earlier ones have been answered, so a
/// slow server shows up as latency rather than as a lower request rate. Latency = send to response headers.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(string name, string endpoint, string serviceUrl, string text, int rate, int seconds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var total = rate * seconds;
        var latencies = new double[total];
        var errors = 0;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new StringContent(Activity(serviceUrl, text, index), Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(endpoint, content);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        return new LoadResult(name, total, errors, latencies);
    }

    private static string Activity(string serviceUrl, string text, int i) => $$"""
        {"type":"message","id":"{{Guid.NewGuid():N}}","timestamp":"2026-03-02T09:00:00.000Z","serviceUrl":"{{serviceUrl}}","channelId":"msteams",
         "from":{"id":"29:user-{{i % 50}}","name":"User {{i % 50}}","aadObjectId":"aad-{{i % 50}}"},
         "recipient":{"id":"28:bot","name":"Bench Bot"},
         "conversation":{"id":"a:personal-{{i % 50}}","conversationType":"personal","tenantId":"tenant-1"},
         "text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"textFormat":"plain","locale":"en-US"}
        """;
}

public sealed record LoadResult(string Name, int Sent, int Errors, double[] SortedLatencies)
{
    public double P(double q) => SortedLatencies.Length == 0 ? double.NaN : SortedLatencies[Math.Min(SortedLatencies.Length - 1, (int)Math.Ceiling(q * SortedLatencies.Length) - 1)];
}
