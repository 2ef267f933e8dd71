using System.Diagnostics;
using System.Globalization;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ItChatBot.Benchmarks.Kpi;

/// <summary>
/// What a starting instance does before its first KPI answer: open the store, build the KPI rollups from the whole event
/// log (<see cref="IEventLog.ReadAllAsync"/> from the start, the index's first catch-up) and answer <c>/kpi summary</c>.
/// The generated history is first imported through the store's own import path (<see cref="IEventLog.AppendCheckedAsync"/>,
/// which <c>itchatbot import</c> uses), so the log holds what the service would hold.
/// </summary>
/// <remarks>
/// Each start runs in a child process of its own (this program with <c>--start-child</c>), so its wall time includes what a
/// fresh process pays (JIT, pools, the schema check) and its peak working set is the start's alone, not the import's.
/// </remarks>
internal static class StartUp
{
    /// <summary>
    /// <c>--start postgres|litedb --tickets N [--start-runs 3] [--postgres CS] [--keep true] [--database NAME] [--breakdown true]</c>.
    /// PostgreSQL: a fresh database on the server of <c>--postgres</c> or ITCHATBOT_TEST_POSTGRES, dropped after; with
    /// <c>--keep true</c> it is kept and named, and <c>--database NAME</c> measures such a kept database again without importing.
    /// LiteDB: a fresh file under <c>--folder</c>, deleted after (the same <c>--keep</c> and, for a kept file, <c>--file</c>).
    /// </summary>
    public static async Task RunAsync(Dictionary<string, string> options, int tickets, DateTimeOffset end, int days, string folder)
    {
        var store = options["start"];
        var runs = int.Parse(options.GetValueOrDefault("start-runs", "3"), CultureInfo.InvariantCulture);
        var keep = options.GetValueOrDefault("keep") == "true";
        var breakdown = options.GetValueOrDefault("breakdown", "true") == "true";
        Console.WriteLine($"start-up on {store}: tickets={tickets} days={days} runs={runs} cores={Environment.ProcessorCount} load {Load()}");
        switch (store)
        {
            case "postgres":
                var server = options.GetValueOrDefault("postgres") ?? Environment.GetEnvironmentVariable("ITCHATBOT_TEST_POSTGRES")
                    ?? throw new ArgumentException("--start postgres needs --postgres CONNECTIONSTRING or ITCHATBOT_TEST_POSTGRES (source .ci/setup.d/20-postgres.sh)");
                var given = options.GetValueOrDefault("database");
                var name = given ?? "itchatbot_kpistart_" + Guid.NewGuid().ToString("N")[..12];
                var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
                if (given is null)
                {
                    await Admin(server, $"create database \"{name}\"");
                }

                try
                {
                    if (given is null)
                    {
                        await using var db = new PostgresDatabase(cs);
                        await db.MigrateAsync();
                        await ImportAsync(new PostgresStore(db), tickets, end, days);
                        await Admin(server, $"vacuum analyze", name);
                    }

                    await ChildrenAsync(runs, ["--start-child", "postgres", "--connection", cs, "--breakdown", breakdown ? "true" : "false"]);
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    if (given is null && !keep)
                    {
                        await Admin(server, $"drop database if exists \"{name}\" with (force)");
                    }
                    else
                    {
                        Console.WriteLine($"kept database {name} (measure it again with --database {name}; drop it when done)");
                    }
                }

                break;
            case "litedb":
                var file = options.GetValueOrDefault("file");
                var path = file ?? Path.Combine(folder, $"kpistart-{Guid.NewGuid():N}.db");
                try
                {
                    if (file is null)
                    {
                        using var lite = new LiteDbStore(path);
                        await ImportAsync(lite, tickets, end, days);
                    }

                    Console.WriteLine($"LiteDB file {new FileInfo(path).Length / 1e6:0} MB");
                    await ChildrenAsync(runs, ["--start-child", "litedb", "--file", path, "--breakdown", breakdown ? "true" : "false"]);
                }
                finally
                {
                    if (file is null && !keep)
                    {
                        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Append(path))
                        {
                            File.Delete(f);
                        }
                    }
                    else
                    {
                        Console.WriteLine($"kept file {path} (measure it again with --file {path})");
                    }
                }

                break;
            default:
                throw new ArgumentException($"--start {store}: expected --start postgres or --start litedb");
        }
    }

    /// <summary>Imports the generated history in batches of 1,000 tickets (about 6,300 events), as <c>itchatbot import</c> hands them over.</summary>
    private static async Task ImportAsync(IEventLog log, int tickets, DateTimeOffset end, int days)
    {
        var sw = Stopwatch.StartNew();
        long events = 0, appended = 0, rejected = 0;
        var i = 0;
        foreach (var batch in new HistoryGenerator(1042, end, days).Batches(tickets, 1_000))
        {
            var result = await log.AppendCheckedAsync(batch);
            events += batch.Count;
            appended += result.Appended.Count;
            rejected += result.Rejected.Count;
            i += 1_000;
            if (i % 100_000 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  imported {i} tickets, {appended} events, {sw.Elapsed.TotalSeconds:0} s, load {Load()}"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: {events} events generated, {appended} appended, {rejected} rejected in {sw.Elapsed.TotalSeconds:0.0} s ({appended / sw.Elapsed.TotalSeconds:0} events/s)"));
    }

    /// <summary>
    /// The runtime settings the host runs with (src/ItChatBot.Host/ItChatBot.Host.csproj: a web project, so server GC; no DATAS;
    /// no call-counting delay; and README "Running in production": a 64 MB gen0), given to each start so it pays what the host would.
    /// </summary>
    private static readonly (string Key, string Value)[] HostRuntime =
    [
        ("DOTNET_gcServer", "1"),
        ("DOTNET_GCDynamicAdaptationMode", "0"),
        ("DOTNET_TC_CallCountingDelayMs", "0"),
        ("DOTNET_GCgen0size", "0x4000000"),
    ];

    private static async Task ChildrenAsync(int runs, string[] childArgs)
    {
        for (var r = 1; r <= runs; r++)
        {
            Console.WriteLine($"start {r} of {runs} (load {Load()}):");
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = false, UseShellExecute = false };
            foreach (var (key, value) in HostRuntime)
            {
                start.Environment[key] = value;
            }

            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(typeof(StartUp).Assembly.Location);
            }

            foreach (var a in childArgs)
            {
                start.ArgumentList.Add(a);
            }

            using var child = Process.Start(start)!;
            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"the start-up child process exited with {child.ExitCode}");
            }
        }
    }

    /// <summary>One start, in this (child) process: open, first summary (the index's catch-up from the whole log), then the parts apart.</summary>
    public static async Task ChildAsync(Dictionary<string, string> options, DateTimeOffset end)
    {
        var kind = options["start-child"];
        var teams = new SupportTeams([]);
        var engineOptions = Options.Create(new KpiOptions());
        var request = new KpiRequest("summary", "IT", end.AddDays(-30), end);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: false);
        var sw = Stopwatch.StartNew();

        IEventLog log;
        PostgresDatabase? db = null;
        LiteDbStore? lite = null;
        if (kind == "postgres")
        {
            db = new PostgresDatabase(options["connection"]);
            await db.MigrateAsync();
            log = new PostgresStore(db);
        }
        else
        {
            lite = new LiteDbStore(options["file"]);
            log = lite;
        }

        var opened = sw.Elapsed;
        var timed = new LastReadLog(log, sw);
        var index = new KpiIndex(timed, new SlaPolicies(teams));
        var engine = new KpiEngine(index, teams, engineOptions, new FixedClock(end));
        var first = await engine.ComputeAsync(request);
        var ready = sw.Elapsed;
        var lastRead = timed.LastRead;
        var cpu = process.TotalProcessorTime - cpu0;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - alloc0;
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        sw.Restart();
        await engine.ComputeAsync(request);
        var second = sw.Elapsed;
        var events = index.LastSeq;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {kind}: ready in {ready.TotalSeconds:0.00} s (open {opened.TotalMilliseconds:0} ms, log read and folded in {(lastRead - opened).TotalSeconds:0.00} s, " +
            $"then the rollups' flush + first summary {(ready - lastRead).TotalSeconds:0.00} s) " +
            $"over {events} events, {index.Tickets.Count} tickets: {events / ready.TotalSeconds:0} events/s; cpu {cpu.TotalSeconds:0.0} s; " +
            $"peak working set {peak / 1e6:0} MB; managed after {managed / 1e6:0} MB; allocated {allocated / 1e9:0.00} GB; gc {gcs.Item1}/{gcs.Item2}/{gcs.Item3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  summary (IT, 30 d) = {first.Value?.ToString(CultureInfo.InvariantCulture) ?? "null"} over {first.Count}; the next summary {second.TotalMilliseconds:0} ms"));

        if (options.GetValueOrDefault("breakdown") == "true")
        {
            // The log read alone (what ReadAllAsync costs without the rollups), and on PostgreSQL the rows alone.
            await Part("ReadAllAsync(0) drained, no rollups", async () =>
            {
                long n = 0;
                await foreach (var _ in log.ReadAllAsync(0))
                {
                    n++;
                }

                return n;
            });
            await Part("rollups alone (KpiIndex.ApplyAll over the log read into memory 500,000 events at a time, reading not timed)", () => RollupsAloneAsync(log, teams));
            if (db is not null)
            {
                await Part("rows only: one select of every column, read as strings", () => RawRowsAsync(db));
            }
        }

        if (db is not null)
        {
            await db.DisposeAsync();
        }

        lite?.Dispose();
    }

    private static async Task<(long Events, TimeSpan Timed)> RollupsAloneAsync(IEventLog log, SupportTeams teams)
    {
        var index = new KpiIndex(log, new SlaPolicies(teams));
        var chunk = new List<TicketEvent>(500_000);
        var timed = TimeSpan.Zero;
        long n = 0;
        void Apply()
        {
            var sw = Stopwatch.StartNew();
            index.ApplyAll(chunk);
            timed += sw.Elapsed;
            n += chunk.Count;
            chunk.Clear();
        }

        await foreach (var e in log.ReadAllAsync(0))
        {
            chunk.Add(e);
            if (chunk.Count == chunk.Capacity)
            {
                Apply();
            }
        }

        Apply();
        return (n, timed);
    }

    private static async Task<long> RawRowsAsync(PostgresDatabase db)
    {
        await using var c = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select seq, eid, ticket, type, at, actor, actor_kind, data from events order by seq", c);
        await using var reader = await command.ExecuteReaderAsync();
        long n = 0, chars = 0;
        while (await reader.ReadAsync())
        {
            chars += reader.GetInt64(0) + reader.GetString(1).Length + (reader.IsDBNull(2) ? 0 : reader.GetString(2).Length) + reader.GetString(3).Length
                + reader.GetFieldValue<DateTimeOffset>(4).Offset.Ticks + reader.GetString(5).Length + reader.GetString(6).Length + reader.GetString(7).Length;
            n++;
        }

        GC.KeepAlive(chars);
        return n;
    }

    private static Task Part(string name, Func<Task<long>> part) =>
        Part(name, async () => (await part(), (TimeSpan?)null));

    private static Task Part(string name, Func<Task<(long Events, TimeSpan Timed)>> part) =>
        Part(name, async () =>
        {
            var (n, timed) = await part();
            return (n, (TimeSpan?)timed);
        });

    /// <summary>Times one part; <c>Timed</c>, when given, is the part of the wall time that counts (cpu and allocations are then the whole part's).</summary>
    private static async Task Part(string name, Func<Task<(long Events, TimeSpan? Timed)>> part)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: false);
        var sw = Stopwatch.StartNew();
        var (n, timed) = await part();
        var wall = timed ?? sw.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {n} events in {wall.TotalSeconds:0.00} s ({n / wall.TotalSeconds:0} events/s, {wall.TotalMicroseconds / n:0.00} µs each); " +
            $"cpu {(process.TotalProcessorTime - cpu0).TotalSeconds:0.0} s; allocated {(GC.GetTotalAllocatedBytes(precise: false) - alloc0) / 1e9:0.00} GB"));
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static async Task Admin(string server, string sql, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Pooling = false, CommandTimeout = 0 };
        if (database is not null)
        {
            builder.Database = database;
        }

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The log, noting when its reader was handed the last event: what is left after that is the rollups' own work.</summary>
internal sealed class LastReadLog(IEventLog log, Stopwatch clock) : IEventLog
{
    public TimeSpan LastRead { get; private set; }

    public Task<AppendResult> AppendAsync(IReadOnlyList<TicketEvent> events, IReadOnlyList<ItChatBot.Core.Conversations.OutboundMessage>? outbox = null, ExpectedVersion? expected = null, CancellationToken cancellationToken = default) =>
        log.AppendAsync(events, outbox, expected, cancellationToken);

    public Task<AppendResult> AppendCheckedAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default) => log.AppendCheckedAsync(events, cancellationToken);

    public Task<IReadOnlySet<string>> ContainsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) => log.ContainsAsync(eventIds, cancellationToken);

    public Task<IReadOnlyList<TicketEvent>> ReadTicketAsync(string ticketKey, CancellationToken cancellationToken = default) => log.ReadTicketAsync(ticketKey, cancellationToken);

    public async IAsyncEnumerable<TicketEvent> ReadAllAsync(long afterSeq = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in log.ReadAllAsync(afterSeq, cancellationToken))
        {
            yield return e;
        }

        LastRead = clock.Elapsed;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => log.CountAsync(cancellationToken);

    public Task<long> LastSeqAsync(CancellationToken cancellationToken = default) => log.LastSeqAsync(cancellationToken);
}
