namespace ItChatBot.Benchmarks.Slack;

/// <summary>
/// Answers every Web API method with a plausible <c>ok:true</c> (and <c>auth.test</c> with the bot's ids, as Slack
/// does), so the host under load posts its cards for real.
/// <c>GET /calls</c> tells how many calls it has answered: the last step of every processed delivery is a call here, so
/// a count that stops growing means the host has finished the work a load left behind.
/// </summary>
public static class FakeSlackApi
{
    private static long _calls;

    public static async Task<int> RunAsync(Arguments args)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{args.Int("port", 5099)}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/calls", () => Results.Text(Interlocked.Read(ref _calls).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // The host asks auth.test once at start for its own ids (it reads user_id, which the generic answer lacks), and
        // run.sh's readiness probe asks it too. Not counted: /calls counts the work deliveries leave behind.
        app.MapPost("/api/auth.test", () => Results.Text(
            """{"ok":true,"url":"https://bench.slack.com/","team":"bench","user":"itchatbot","team_id":"T0","user_id":"U0BOT","bot_id":"B0BOT"}""",
            "application/json"));
        app.MapPost("/api/{method}", (string method) =>
        {
            Interlocked.Increment(ref _calls);
            return Results.Text(
                """{"ok":true,"channel":"D0BENCH","ts":"1772442000.000100","message_ts":"1772442000.000200","user":{"id":"U1","name":"bench","profile":{"email":"bench@example.com"}}}""",
                "application/json");
        });
        Console.WriteLine($"fake Slack API on {string.Join(", ", app.Urls)}");
        await app.RunAsync();
        return 0;
    }
}
