using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ItChatBot.Slack.Inbound;

namespace ItChatBot.Benchmarks.Slack;

/// <summary>
/// Sends Slack-signed requests at a fixed rate (open loop: a slow answer does not delay the next send) and reports
/// the acknowledgement latency, from just before the send to the response headers, after a warm-up.
/// Every event has its own event_id and every command its own trigger_id, so each one is stored and processed.
/// </summary>
public static class LoadRun
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var url = args.Get("url").TrimEnd('/');
        var secret = args.Get("secret");
        var kind = args.Get("kind", "events");
        var rate = args.Int("rate", 200);
        var duration = args.Int("duration", 30);
        var warmup = args.Int("warmup", 3);
        var path = kind is "commands" or "unknown-commands" ? "/slack/commands" : "/slack/events";

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

        var total = rate * (warmup + duration);
        var measuredFrom = rate * warmup;
        var latencies = new double[total];
        var failures = 0;
        var tasks = new List<Task>(total);
        var run = Guid.NewGuid().ToString("N")[..8];
        // Each message's ts is its thread, and a thread that has a ticket answers with it instead of opening one: the ts must
        // be new in every run. Before, every run used 1772442000.000000 onwards, so in `run.sh … 4` only the first events
        // slice opened tickets; the later ones found them and answered with their cards.
        var seconds = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            // Sleep (never spin) until the send is due: a spinning generator takes a large share of a core from the
            // server it measures. A send that wakes late goes at once and the schedule catches up, so the rate holds.
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (early > TimeSpan.Zero)
            {
                Thread.Sleep((int)Math.Ceiling(early.TotalMilliseconds));
            }

            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var (body, contentType) = kind switch
                {
                    "commands" => Command(run, index, "%2Fit"),
                    // Verified and answered but not stored: the cost of everything except the durable write.
                    "unknown-commands" => Command(run, index, "%2Fdeploy"),
                    _ => Event(run, seconds, index),
                };
                var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, url + path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
                request.Headers.Add("X-Slack-Signature", SlackSignature.Compute(secret, timestamp, body));
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    latencies[index] = double.NaN;
                    Interlocked.Increment(ref failures);
                }
            }));
        }

        await Task.WhenAll(tasks);
        var measured = latencies.Skip(measuredFrom).Where(l => !double.IsNaN(l)).Order().ToArray();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind} {url}: {total} sent in {elapsed:F1} s ({measured.Length} measured after {warmup} s warm-up), {failures} failed; " +
            $"p50 {Percentile(measured, 0.50):F2} ms, p90 {Percentile(measured, 0.90):F2} ms, p99 {Percentile(measured, 0.99):F2} ms, max {measured.LastOrDefault():F2} ms"));
        if (args.Get("out", "") is { Length: > 0 } output)
        {
            // One latency per line, so that slices of several runs can be pooled (the percentiles command).
            await File.AppendAllLinesAsync(output, measured.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>p50, p90 and p99 over every latency in the files that <c>load --out</c> appended to.</summary>
    public static int Percentiles(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var all = File.ReadLines(file).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileNameWithoutExtension(file)}: {all.Length} measured; p50 {Percentile(all, 0.50):F2} ms, p90 {Percentile(all, 0.90):F2} ms, p99 {Percentile(all, 0.99):F2} ms, max {all.LastOrDefault():F2} ms"));
        }

        return 0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static (byte[] Body, string ContentType) Event(string run, long seconds, int i)
    {
        var ts = $"{seconds + (i / 1_000_000)}.{i % 1_000_000:D6}";
        var json = JsonSerializer.Serialize(new
        {
            token = "legacy",
            team_id = "T1",
            api_app_id = "A1",
            type = "event_callback",
            event_id = $"Ev{run}{i:D7}",
            event_time = 1772442000,
            @event = new { type = "message", channel_type = "im", channel = "D0BENCH", user = $"U{i % 50:D4}", text = "my laptop will not start after the update", ts, event_ts = ts },
        });
        return (Encoding.UTF8.GetBytes(json), "application/json");
    }

    private static (byte[] Body, string ContentType) Command(string run, int i, string command)
    {
        var form = $"token=legacy&team_id=T1&team_domain=acme&channel_id=D0BENCH&channel_name=directmessage&user_id=U{i % 50:D4}&user_name=bench" +
            $"&command={command}&text=status+IT-1&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fabc&trigger_id={run}.{i}.abc&api_app_id=A1";
        return (Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded");
    }
}
