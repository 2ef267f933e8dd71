using BenchmarkDotNet.Running;
using ItChatBot.Benchmarks;

// dotnet run -c Release --project benchmarks/ItChatBot.Benchmarks -- <append | import [events] | chat [rps] [seconds] [concurrency-limit] | audit [entries]>
return args.FirstOrDefault() switch
{
    "append" => Run(() => BenchmarkRunner.Run<EventAppendBenchmarks>(args: args[1..])),
    "import" => await ImportThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000),
    "chat" => await ChatRoundTrip.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30),
    "audit" => await AuditThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    _ => Usage(),
};

static int Run(Action benchmark)
{
    benchmark();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: append | import [events] | chat [requests-per-second] [seconds] | audit [entries]");
    return 2;
}
