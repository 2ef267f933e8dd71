using ItChatBot.Benchmarks.Teams;

// Activity ack latency under a fixed load on loopback: ItChatBot's /api/messages against a minimal botbuilder
// echo bot, each started as its own process, both sending their replies to the same stand-in connector.
//   dotnet run -c Release --project benchmarks/ItChatBot.Benchmarks.Teams -- [--rate 200] [--seconds 20] [--warmup 5] [--data DIR] [--text "it help"]
var rate = Arg("--rate", 200);
var seconds = Arg("--seconds", 20);
var warmup = Arg("--warmup", 5);
var data = ArgText("--data"); // where ItChatBot's LiteDB file goes (default: the temp folder)
// What the user types. "it help" makes both bots send one reply per activity; free text makes ItChatBot open a ticket each time.
var text = ArgText("--text") ?? "it help";

await using var connector = await StandInConnector.StartAsync();
var results = new List<LoadResult>();
foreach (var target in new[] { BotProcess.ItChatBot(data), BotProcess.BotBuilder() })
{
    await using var bot = target;
    var endpoint = await bot.StartAsync();
    Console.WriteLine($"{bot.Name}: {endpoint}");
    await LoadGenerator.RunAsync(bot.Name, endpoint, connector.ServiceUrl, text, rate, warmup);
    results.Add(await LoadGenerator.RunAsync(bot.Name, endpoint, connector.ServiceUrl, text, rate, seconds));
}

Console.WriteLine();
Console.WriteLine($"\"{text}\" at {rate} activities/s for {seconds} s after {warmup} s warm-up, loopback, {Environment.ProcessorCount} cores");
Console.WriteLine("| bot | sent | errors | p50 ms | p90 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine($"| {r.Name} | {r.Sent} | {r.Errors} | {r.P(0.50):F2} | {r.P(0.90):F2} | {r.P(0.99):F2} | {r.P(1):F2} |");
}

Console.WriteLine($"p99 ratio botbuilder / ItChatBot: {results[1].P(0.99) / results[0].P(0.99):F2}");
Console.WriteLine($"connector received {connector.Received} replies");
return 0;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
