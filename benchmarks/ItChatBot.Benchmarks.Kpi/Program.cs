using System.Diagnostics;
using System.Globalization;
using ItChatBot.Benchmarks.Kpi;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using Microsoft.Extensions.Options;

// dotnet run -c Release --project benchmarks/ItChatBot.Benchmarks.Kpi -- --tickets 1000000 --litedb-tickets 1000000 --runs 20
// dotnet run -c Release --project benchmarks/ItChatBot.Benchmarks.Kpi -- --start postgres|litedb --tickets 1000000 [--start-runs 3]
var options = Args(args);
var tickets = int.Parse(options.GetValueOrDefault("tickets", "1000000"), CultureInfo.InvariantCulture);
var liteTickets = int.Parse(options.GetValueOrDefault("litedb-tickets", tickets.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var runs = int.Parse(options.GetValueOrDefault("runs", "20"), CultureInfo.InvariantCulture);
var days = int.Parse(options.GetValueOrDefault("days", "365"), CultureInfo.InvariantCulture);
var folder = options.GetValueOrDefault("folder", Path.Combine(Path.GetTempPath(), "itchatbot-kpi-bench"));
var end = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
Directory.CreateDirectory(folder);
if (options.TryGetValue("dump", out var dumpPath))
{
    await EquivalenceDump.RunAsync(dumpPath, tickets, end, days);
    return;
}

// A starting instance on PostgreSQL or LiteDB (StartUp): import, then open + rollups + first summary in a child process.
if (options.TryGetValue("start-child", out _))
{
    await StartUp.ChildAsync(options, end);
    return;
}

if (options.TryGetValue("start", out _))
{
    await StartUp.RunAsync(options, tickets, end, days, folder);
    return;
}

Console.WriteLine($"tickets={tickets} litedb-tickets={liteTickets} days={days} runs={runs} cores={Environment.ProcessorCount}");

var teams = new SupportTeams([]);
var kpiOptions = Options.Create(new KpiOptions());
var clock = new FixedClock(end);
var metrics = new[] { "volume", "mttr", "frt", "fcr", "sla", "csat", "escalation", "backlog", "automation", "deflection", "workflows", "overrides", "savings", "insights" };
var from = end.AddDays(-30);

// 1. LiteDB: the event log on disk, the rollups loaded from it (warm-up), then the questions.
var dbPath = Path.Combine(folder, $"kpi-{liteTickets}.db");
var floor = new FloorArrays();
var sqlite = new SqliteSide(Path.Combine(folder, $"kpi-{tickets}.sqlite"));
using (var store = new LiteDbStore(dbPath))
{
    var existing = await store.CountAsync();
    var sw = Stopwatch.StartNew();
    long events = 0;
    var generator = new HistoryGenerator(1042, end, days);
    var fillSqlite = !sqlite.Exists;
    if (fillSqlite)
    {
        sqlite.Create();
    }

    var i = 0;
    var memoryIndex = new KpiIndex(new EmptyLog(), new SlaPolicies(teams));
    var memoryBefore = GC.GetTotalMemory(true);
    foreach (var batch in generator.Batches(tickets, 1_000))
    {
        floor.Add(batch);
        memoryIndex.ApplyAll(batch);
        if (fillSqlite)
        {
            sqlite.Insert(batch);
        }

        if (existing == 0 && i < liteTickets)
        {
            var append = Stopwatch.StartNew();
            await store.AppendAsync(batch);
            Console.WriteLine($"  LiteDB append: {batch.Count} events in {append.Elapsed.TotalSeconds:0.0} s");
        }

        if (i % 100_000 == 0)
        {
            Console.WriteLine($"  {i} tickets generated, {sw.Elapsed.TotalSeconds:0} s");
        }

        events += batch.Count;
        i += 1_000;
    }

    if (fillSqlite)
    {
        sqlite.Index();
    }

    var memoryManaged = GC.GetTotalMemory(true) - memoryBefore;
    Console.WriteLine($"generated {events} events in {sw.Elapsed.TotalSeconds:0.0} s (LiteDB file {(existing == 0 ? "written" : "reused")}: {await store.CountAsync()} events, {new FileInfo(dbPath).Length / 1e6:0} MB)");

    Console.WriteLine($"in-memory rollups of {memoryIndex.Tickets.Count} tickets (plus the floor arrays): {memoryManaged / 1e6:0} MB managed, of which the ticket columns {memoryIndex.Columns.Bytes / 1e6:0} MB; process working set {Environment.WorkingSet / 1e6:0} MB");
    var memoryEngine = new KpiEngine(memoryIndex, teams, kpiOptions, clock);
    Time($"engine {tickets} summary (team IT, 30d)", runs, () => memoryEngine.ComputeAsync(new KpiRequest("summary", "IT", from, end)).GetAwaiter().GetResult());
    Time($"engine {tickets} summary (all teams, 30d)", runs, () => memoryEngine.ComputeAsync(new KpiRequest("summary", null, from, end)).GetAwaiter().GetResult());
    foreach (var metric in metrics)
    {
        Time($"engine {tickets} {metric} (team IT, 30d)", runs, () => memoryEngine.ComputeAsync(new KpiRequest(metric, "IT", from, end)).GetAwaiter().GetResult());
    }

    Time($"engine {tickets} mttr by category (all, 90d)", runs, () => memoryEngine.ComputeAsync(new KpiRequest("mttr", null, end.AddDays(-90), end, "category")).GetAwaiter().GetResult());

    var before = GC.GetTotalMemory(true);
    var index = new KpiIndex(store, new SlaPolicies(teams));
    var engine = new KpiEngine(index, teams, kpiOptions, clock);
    var check = await memoryEngine.ComputeAsync(new KpiRequest("mttr", "IT", from, end));
    sw.Restart();
    var warm = await engine.ComputeAsync(new KpiRequest("volume", null, from, end));
    Console.WriteLine($"LiteDB warm-up (rollups from {index.LastSeq} events): {sw.Elapsed.TotalSeconds:0.0} s; tickets {index.Tickets.Count}; 30-day volume {warm.Value}");
    var managed = GC.GetTotalMemory(true) - before;
    Console.WriteLine($"rollup memory: {managed / 1e6:0} MB managed; process working set {Environment.WorkingSet / 1e6:0} MB");

    // Each query first catches up with the log; what that costs when nothing is new.
    Time("LiteDB LastSeqAsync (not used by the KPI index)", runs, () => store.LastSeqAsync().GetAwaiter().GetResult());
    Time("LiteDB ReadAllAsync after the last event (catch-up)", runs, () => store.ReadAllAsync(index.LastSeq).ToBlockingEnumerable().Count());
    Time("LiteDB summary (team IT, 30d)", runs, () => engine.ComputeAsync(new KpiRequest("summary", "IT", from, end)).GetAwaiter().GetResult());
    Time("LiteDB summary (all teams, 30d)", runs, () => engine.ComputeAsync(new KpiRequest("summary", null, from, end)).GetAwaiter().GetResult());
    foreach (var metric in metrics)
    {
        Time($"LiteDB {metric} (team IT, 30d)", runs, () => engine.ComputeAsync(new KpiRequest(metric, "IT", from, end)).GetAwaiter().GetResult());
    }

    Time("LiteDB mttr by category (all, 90d)", runs, () => engine.ComputeAsync(new KpiRequest("mttr", null, end.AddDays(-90), end, "category")).GetAwaiter().GetResult());

    // 2. SQLite, plain SQL over the same events.
    var f = from.ToUnixTimeMilliseconds();
    var t = end.ToUnixTimeMilliseconds();
    Time("SQLite volume", runs, () => sqlite.Volume("IT", f, t));
    Time("SQLite mttr", runs, () => sqlite.Mttr("IT", f, t));
    Time("SQLite escalation", runs, () => sqlite.Escalation("IT", f, t));
    Time("SQLite csat", runs, () => sqlite.Csat("IT", f, t));
    Time("SQLite backlog", Math.Min(runs, 5), () => sqlite.Backlog("IT", t));
    Time("SQLite summary (the five above + previous period)", Math.Min(runs, 5), () => sqlite.Summary("IT", f, t));
    Console.WriteLine($"check (full history): in-memory engine MTTR {check.Value:0.###} over {check.Count}");
    Console.WriteLine($"check: engine volume {engine.ComputeAsync(new KpiRequest("volume", "IT", from, end)).GetAwaiter().GetResult().Value} = SQLite {sqlite.Volume("IT", f, t)}; engine MTTR {engine.ComputeAsync(new KpiRequest("mttr", "IT", from, end)).GetAwaiter().GetResult().Value:0.###} = SQLite {sqlite.Mttr("IT", f, t):0.###}; floor {floor.Mttr(0, f, t):0.###}");

    // 3. The floor: the same questions as loops over plain arrays.
    Time("arrays volume", runs, () => floor.Volume(0, f, t));
    Time("arrays mttr", runs, () => floor.Mttr(0, f, t));
    Time("arrays backlog", runs, () => floor.Backlog(0, t));
    Time("arrays summary (volume, mttr, escalation, backlog x9, + previous)", runs, () => floor.Summary(0, f, t));
}

static void Time(string name, int runs, Func<object?> action)
{
    for (var w = 0; w < 3; w++)
    {
        action();
    }

    var samples = new List<double>();
    // CPU time as well as wall time: on a shared, loaded machine the wall time mostly measures waiting for a core.
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var r = 0; r < runs; r++)
    {
        var sw = Stopwatch.StartNew();
        action();
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }

    var cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs;
    samples.Sort();
    double P(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-55} p50 {P(0.5),8:0.0} ms  p95 {P(0.95),8:0.0} ms  cpu {cpuPerRun,8:0.0} ms/run  ({runs} runs)"));
}

static Dictionary<string, string> Args(string[] args)
{
    var d = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        d[args[i].TrimStart('-')] = args[i + 1];
    }

    return d;
}

/// <summary>A log with nothing new: the rollups it backs are filled with <see cref="KpiIndex.ApplyAll"/>.</summary>
internal sealed class EmptyLog : ItChatBot.Core.Storage.IEventLog
{
    public Task<ItChatBot.Core.Storage.AppendResult> AppendAsync(IReadOnlyList<TicketEvent> events, IReadOnlyList<ItChatBot.Core.Conversations.OutboundMessage>? outbox = null, ItChatBot.Core.Storage.ExpectedVersion? expected = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<ItChatBot.Core.Storage.AppendResult> AppendCheckedAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlySet<string>> ContainsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<TicketEvent>> ReadTicketAsync(string ticketKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public async IAsyncEnumerable<TicketEvent> ReadAllAsync(long afterSeq = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);
    public Task<long> LastSeqAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
