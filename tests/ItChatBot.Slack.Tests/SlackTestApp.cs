using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Slack.Tests;

/// <summary>The real host with the Slack HTTP endpoints on, talking to a <see cref="FakeSlack"/>.</summary>
public sealed class SlackTestApp : IDisposable
{
    public const string SigningSecret = "test-signing-secret-0123456789";

    public SlackTestApp(bool httpEndpoints = true, bool socketMode = false, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = FakeSlack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl,
            ["Demo:SeedDirectory"] = "false",
        };
        if (httpEndpoints)
        {
            settings["Slack:SigningSecret"] = SigningSecret;
        }

        if (socketMode)
        {
            settings["Slack:AppToken"] = FakeSlack.AppToken;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        App = new ItChatBotApp(settings);
        Client = App.CreateClient();
        Driver = new SlackDriver(Client, SigningSecret, App.Clock);
    }

    public FakeSlack Slack { get; } = new();

    public ItChatBotApp App { get; }

    public HttpClient Client { get; }

    public SlackDriver Driver { get; }

    /// <summary>Every inbound envelope stored, processed or not.</summary>
    public int StoredEnvelopes => App.Get<LiteDbStore>().Database.GetCollection("inbox").Count();

    public async Task<int> PendingOutboxAsync() =>
        (await App.Get<IOutbox>().DueAsync(DateTimeOffset.MaxValue.AddYears(-1), 1000)).Count;

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        Slack.Dispose();
    }
}
