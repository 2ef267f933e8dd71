using System.Net;
using System.Net.Http.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// A support team's queue in a channel of a team the app is installed in, which is not the team's General channel: Teams
/// sends the bot nothing from it until someone @mentions the bot there, so it has no <c>serviceUrl</c> of its own. Teams
/// takes a post for any channel of the team through the connector, so the first card goes out at once.
/// </summary>
public sealed class QueueChannelFirstPostTests : IDisposable
{
    private const string QueueChannel = "19:itqueue@thread.tacv2";
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public QueueChannelFirstPostTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework, new Dictionary<string, string?>
        {
            ["Demo:SeedDirectory"] = "true",
            ["SupportTeams:IT:QueueChannels:teams"] = QueueChannel,
            ["Teams:ServiceUrl"] = _botFramework.ServiceUrl,
        });
    }

    private async Task<string> OpenFromWebAsync()
    {
        using var web = _app.CreateClient();
        using var opened = await web.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it my laptop battery drains in an hour", clientMessageId = "c1" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        return Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery())).Key;
    }

    [Fact]
    public async Task The_first_card_goes_to_a_channel_the_bot_has_not_heard_from_through_the_configured_connector()
    {
        var key = await OpenFromWebAsync();

        // Before: "Teams knows no conversation or user '19:itqueue@thread.tacv2'", and the card waited for a mention there.
        var post = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Method == "POST"
            && c.RequestMessage.AbsolutePath == $"/teams/v3/conversations/{QueueChannel}/activities"), "the queue card in the channel");
        Assert.Contains(key, post.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal($"Bearer {BotFrameworkStandIn.AccessToken}", post.RequestMessage.Headers!["Authorization"].Single());
        var sent = await Eventually.WaitAsync(() => _app.Get<IOutbox>().GetMessageAsync(QueueIds.PostMessage(key, "IT", Channels.Teams)).Result is { State: OutboxState.Sent } m ? m : null, "the card marked sent");
        Assert.StartsWith("activity-", sent.PlatformMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_app_is_not_in_that_team_the_card_stays_in_the_outbox_with_teams_reason()
    {
        _botFramework.Server.Given(Request.Create().WithPath($"/teams/v3/conversations/{QueueChannel}/activities").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}"""));

        var key = await OpenFromWebAsync();

        var entry = await Eventually.WaitAsync(() => _app.Get<IOutbox>().GetMessageAsync(QueueIds.PostMessage(key, "IT", Channels.Teams)).Result is { Attempts: > 0 } e ? e : null, "the refused attempt");
        Assert.Equal(OutboxState.Pending, entry.State);
        Assert.Contains("403", entry.LastError, StringComparison.Ordinal);
        Assert.Contains("BotNotInConversationRoster", entry.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("19:itqueue@thread.tacv2", true)]
    [InlineData("19:itqueue@thread.tacv2;messageid=1700000000000", true)]
    [InlineData("19:0123abc@thread.skype", true)]
    [InlineData("19:meeting_chat@thread.v2", false)] // a group chat: the app must be added to it, which Teams tells the bot of
    [InlineData("a:1personal-chat", false)]
    [InlineData("aad-0001", false)] // a user, for a personal chat
    public void Only_a_teams_channel_id_is_posted_to_without_a_reference(string conversationId, bool channel)
    {
        Assert.Equal(channel, ItChatBot.Teams.Activities.TeamsThreads.IsChannel(conversationId));
    }

    [Theory]
    [InlineData("smba.trafficmanager.net/teams/")]
    [InlineData("ftp://smba.trafficmanager.net/teams/")]
    public void A_service_url_that_is_no_http_url_is_refused_at_start(string value)
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["Teams:AppId"] = TeamsApp.AppId,
            ["Teams:AppPassword"] = "secret",
            ["Teams:ServiceUrl"] = value,
        });

        var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"Teams:ServiceUrl must be an absolute http(s) URL, the Bot Framework connector (got '{value}'", Flatten(ex), StringComparison.Ordinal);
    }

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " " + Flatten(ex.InnerException);

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
