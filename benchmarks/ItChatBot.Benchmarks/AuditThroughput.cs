using System.Diagnostics;
using ItChatBot.Core.Audit;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Benchmarks;

/// <summary>
/// The audit chain on a LiteDB file: appends one at a time (each its own commit), appends from 8 concurrent
/// writers (sharing commits through the store's writer), and verify-audit over everything written.
/// </summary>
public static class AuditThroughput
{
    public static async Task<int> RunAsync(int entries)
    {
        var folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new LiteDbStore(Path.Combine(folder, "audit.db"));
            var audit = new LiteDbAuditLog(store);
            var at = DateTimeOffset.UnixEpoch;

            // Baseline on the same file and machine: an event-log append, which also commits alone.
            var baseline = Math.Max(1, entries / 20);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < baseline; i++)
            {
                await store.AppendAsync([Core.Tickets.TicketEvent.New($"BENCH-{i}", Core.Tickets.EventType.Created, at.AddSeconds(i), "U1", Core.Tickets.ActorKind.Requester,
                    new Dictionary<string, string> { [Core.Tickets.EventData.Team] = "IT" })]);
            }

            Report("baseline: event", baseline, clock.Elapsed);

            var sequential = entries / 4;
            clock.Restart();
            for (var i = 0; i < sequential; i++)
            {
                await audit.AppendAsync(Record(at, i));
            }

            Report("append, 1 writer", sequential, clock.Elapsed);

            var concurrent = entries - sequential;
            var next = sequential;
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) <= entries)
                {
                    await audit.AppendAsync(Record(at, n));
                }
            })));
            Report("append, 8 writers", concurrent, clock.Elapsed);

            clock.Restart();
            var result = await audit.VerifyAsync();
            Report("verify-audit", result.Checked, clock.Elapsed);
            Console.WriteLine(result.IsIntact ? $"chain intact: {result.Checked} entries" : $"chain BROKEN: {result.Problem}");
            return result.IsIntact ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static AuditRecord Record(DateTimeOffset at, int n) => AuditRecord.New(at.AddSeconds(n), $"u{n % 50}", AuditActions.ApprovalDecided, $"IT-{n}",
        new Dictionary<string, string> { ["run"] = $"r-IT-{n}-1", ["step"] = "0", ["decision"] = "approved", ["reason"] = "needed for the release" });

    private static void Report(string what, long count, TimeSpan elapsed) =>
        Console.WriteLine($"{what,-20} {count,8} entries in {elapsed.TotalSeconds,6:F2} s = {count / elapsed.TotalSeconds,8:F0} entries/s, {elapsed.TotalMilliseconds * 1000 / count,7:F1} µs each");
}
