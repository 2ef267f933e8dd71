using ItChatBot.Benchmarks.Slack;

// Three roles, so one project serves the whole ack-latency benchmark (see benchmarks/README.md):
//   load  --url http://127.0.0.1:PORT --secret S --kind events|commands [--rate 200] [--duration 30] [--warmup 3]
//        [--out FILE]   also append each measured latency to FILE, one per line
//   percentiles FILE...   p50 / p90 / p99 over all the latencies in each FILE (slices of several loads pooled)
//   fake-slack --port PORT     a Slack Web API stand-in that answers ok:true, so the host's processing runs for real
return args.FirstOrDefault() switch
{
    "load" => await LoadRun.RunAsync(Arguments.Parse(args.Skip(1))),
    "percentiles" => LoadRun.Percentiles(args.Skip(1)),
    "fake-slack" => await FakeSlackApi.RunAsync(Arguments.Parse(args.Skip(1))),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: load --url URL --secret SECRET --kind events|commands [--rate 200] [--duration 30] [--warmup 3] [--out FILE]");
    Console.Error.WriteLine("       percentiles FILE...");
    Console.Error.WriteLine("       fake-slack --port PORT");
    return 2;
}
