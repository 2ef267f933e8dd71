using ItChatBot.Benchmarks.Slack;

// Two roles, so one project serves the whole ack-latency benchmark (see benchmarks/README.md):
//   load  --url http://127.0.0.1:PORT --secret S --kind events|commands [--rate 200] [--duration 30] [--warmup 3]
//   fake-slack --port PORT     a Slack Web API stand-in that answers ok:true, so the host's processing runs for real
return args.FirstOrDefault() switch
{
    "load" => await LoadRun.RunAsync(Arguments.Parse(args.Skip(1))),
    "fake-slack" => await FakeSlackApi.RunAsync(Arguments.Parse(args.Skip(1))),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: load --url URL --secret SECRET --kind events|commands [--rate 200] [--duration 30] [--warmup 3]");
    Console.Error.WriteLine("       fake-slack --port PORT");
    return 2;
}
