using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Slack.Tests;

/// <summary>The real host with the Slack HTTP endpoints on, talking to a <see cref="FakeSlack"/>.</summary>
public sealed class SlackTestApp : IDisposable
{
    public const string SigningSecret = "test-signing-secret-0123456789";

    /// <param name="arrange">Answers the fake Slack must give before the host starts (Socket Mode connects at start).</param>
    /// <param name="settings">More settings, e.g. the demo directory and the workflows for approvals.</param>
    public SlackTestApp(bool httpEndpoints = true, bool socketMode = false, Action<FakeSlack>? arrange = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        arrange?.Invoke(Slack);
        var all = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = FakeSlack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl,
            ["Demo:SeedDirectory"] = "false",
        };
        if (httpEndpoints)
        {
            all["Slack:SigningSecret"] = SigningSecret;
        }

        if (socketMode)
        {
            all["Slack:AppToken"] = FakeSlack.AppToken;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = new ItChatBotApp(all);
        Client = App.CreateClient();
        Driver = new SlackDriver(Client, SigningSecret, App.Clock);
    }

    public FakeSlack Slack { get; } = new();

    public ItChatBotApp App { get; }

    public HttpClient Client { get; }

    public SlackDriver Driver { get; }

    /// <summary>
    /// Every inbound envelope stored, processed or not: those in the inbox plus those still in the journal. A moved
    /// envelope is in the inbox before the journal forgets it, so the sum never dips while one moves.
    /// </summary>
    public long StoredEnvelopes => App.Get<IInboundJournal>().Backlog + App.Get<LiteDbStore>().Database.GetCollection("inbox").Count();

    public async Task<int> PendingOutboxAsync() =>
        (await App.Get<IOutbox>().DueAsync(DateTimeOffset.MaxValue.AddYears(-1), 1000)).Count;

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        Slack.Dispose();
    }
}
