using System.Diagnostics;
using System.Globalization;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using Npgsql;

// Opening tickets as the service does (a key number, then Created + Responded appended with an expected version), from
// several concurrent writers for a fixed time, on the embedded LiteDB store and on PostgreSQL; then the KPI engine's
// read of the whole log (ReadAllAsync from the start). Prints throughput and latency per store.
//
//   dotnet run -c Release --project benchmarks/ItChatBot.Benchmarks.Store -- [--writers 8] [--seconds 10] [--instances 2]
//
// PostgreSQL: the server in ITCHATBOT_TEST_POSTGRES (source .ci/setup.d/20-postgres.sh); a fresh database per run,
// dropped after. --instances N splits the writers over N PostgresDatabase/PostgresStore objects (N service instances).
var writers = Arg("--writers", 8);
var seconds = Arg("--seconds", 10);
var instances = Arg("--instances", 2);

var folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench-store", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    using (var lite = new LiteDbStore(Path.Combine(folder, "bench.db")))
    {
        await RunAsync($"LiteDB (1 process)", [(lite, lite)], lite);
    }

    var server = Environment.GetEnvironmentVariable("ITCHATBOT_TEST_POSTGRES")
        ?? throw new InvalidOperationException("ITCHATBOT_TEST_POSTGRES is not set: source .ci/setup.d/20-postgres.sh");
    var name = "itchatbot_bench_" + Guid.NewGuid().ToString("N");
    await Admin(server, $"create database \"{name}\"");
    try
    {
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 }.ConnectionString;
        var dbs = Enumerable.Range(0, instances).Select(_ => new PostgresDatabase(cs)).ToList();
        await dbs[0].MigrateAsync();
        var stores = dbs.Select(d => new PostgresStore(d)).ToList();
        await RunAsync($"PostgreSQL ({instances} instances)", [.. stores.Select(s => ((IEventLog)s, (ITicketStore)s))], stores[0]);
        foreach (var d in dbs)
        {
            await d.DisposeAsync();
        }
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await Admin(server, $"drop database if exists \"{name}\" with (force)");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

async Task RunAsync(string label, IReadOnlyList<(IEventLog Log, ITicketStore Tickets)> sides, IEventLog reader)
{
    var latencies = new List<double>[writers];
    var stop = Stopwatch.StartNew();
    var until = TimeSpan.FromSeconds(seconds);
    var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        var (log, tickets) = sides[w % sides.Count];
        var mine = latencies[w] = [];
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        while (stop.Elapsed < until)
        {
            var started = Stopwatch.GetTimestamp();
            var key = $"IT-{await tickets.NextNumberAsync("IT")}";
            var created = TicketEvent.New(key, EventType.Created, at, "U1", ActorKind.Requester, new Dictionary<string, string>
            {
                [EventData.Team] = "IT", [EventData.Category] = "hardware", [EventData.Priority] = "P3",
                [EventData.Requester] = "U1", [EventData.Subject] = "My laptop will not start after the update",
            });
            var responded = TicketEvent.New(key, EventType.Responded, at, "automation", ActorKind.Automation, new Dictionary<string, string>());
            await log.AppendAsync([created, responded], expected: new ExpectedVersion(key, 0));
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })).ToArray();
    await Task.WhenAll(tasks);
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToList();

    var read = Stopwatch.StartNew();
    long events = 0;
    await foreach (var _ in reader.ReadAllAsync(0))
    {
        events++;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-26} writers {writers}: {all.Count / elapsed,7:F0} tickets/s, append p50 {P(all, 0.50):F2} ms, p99 {P(all, 0.99):F2} ms; " +
        $"read the whole log ({events} events) in {read.Elapsed.TotalMilliseconds:F0} ms"));
}

static double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task Admin(string server, string sql)
{
    await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
