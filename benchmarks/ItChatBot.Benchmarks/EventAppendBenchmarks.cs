using BenchmarkDotNet.Attributes;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Benchmarks;

/// <summary>Appending to the LiteDB event log: one event per commit, a batch per commit, and 8 concurrent writers sharing commits.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class EventAppendBenchmarks
{
    private string _folder = "";
    private LiteDbStore _store = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
        _store = new LiteDbStore(Path.Combine(_folder, "bench.db"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "1 event, own commit")]
    public Task AppendOne() => _store.AppendAsync([Created()]);

    [Benchmark(Description = "100 events, one commit", OperationsPerInvoke = 100)]
    public Task AppendBatch() => _store.AppendAsync([.. Enumerable.Range(0, 100).Select(_ => Created())]);

    [Benchmark(Description = "8 writers x 1 event, group commit", OperationsPerInvoke = 8)]
    public Task AppendConcurrent() => Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.AppendAsync([Created()]))));

    private TicketEvent Created()
    {
        var n = Interlocked.Increment(ref _next);
        return TicketEvent.New($"BENCH-{n}", EventType.Created, DateTimeOffset.UnixEpoch.AddMinutes(n), "U1", ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Team] = "IT", [EventData.Priority] = "P3", [EventData.Category] = "general" });
    }
}
