using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// A support team's queue in a Teams channel: the ticket's card is a post of the channel, and the agents answer the
/// requester in its thread. Teams names a thread by the channel's conversation id with <c>;messageid=</c> and the post's
/// id, both in what it sends and in what a bot must send to write in the thread.
/// </summary>
public sealed class QueueChannelThreadTests : IDisposable
{
    private const string QueueChannel = "19:queue@thread.tacv2";
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public QueueChannelThreadTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework, new Dictionary<string, string?>
        {
            ["Demo:SeedDirectory"] = "true",
            ["SupportTeams:IT:QueueChannels:teams"] = QueueChannel,
        });
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject activity) =>
        _app.PostActivityAsync(activity.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));

    [Fact]
    public async Task An_agents_mention_in_the_thread_of_the_queue_card_answers_the_requester_and_their_answer_comes_back_in_the_thread()
    {
        // alice is the Teams user of the test activities; the bot is installed in the queue's channel.
        var directory = _app.Get<IDirectory>();
        var alice = (await directory.FindAsync("alice"))!;
        alice.PlatformIds[Channels.Teams] = TestActivities.UserAad;
        await directory.UpsertAsync(alice);
        await PostAsync(TestActivities.Installed(_botFramework.ServiceUrl, QueueChannel));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the welcome in the channel");

        using var web = _app.CreateClient();
        var opened = await web.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it my laptop battery drains in an hour", clientMessageId = "c1" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var ticket = Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Method == "POST"
            && c.RequestMessage.AbsolutePath == $"/teams/v3/conversations/{QueueChannel}/activities" && c.RequestMessage.Body!.Contains(ticket.Key, StringComparison.Ordinal)), "the queue card in the channel");
        var cardId = await Eventually.WaitAsync(() => _app.Get<IOutbox>().GetMessageAsync(ItChatBot.Core.Queues.QueueIds.PostMessage(ticket.Key, "IT", Channels.Teams)).Result?.PlatformMessageId, "the card's activity id");

        // alice answers in the card's thread, mentioning the bot as Teams channels require.
        var reply = TestActivities.Message(_botFramework.ServiceUrl, "<at>ItChatBot</at> Which laptop model is it?", $"{QueueChannel};messageid={cardId}", "channel");
        reply["entities"] = new JsonArray { new JsonObject { ["type"] = "mention", ["text"] = "<at>ItChatBot</at>", ["mentioned"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = "ItChatBot" } } };
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reply)).StatusCode);

        // Before: no thread was seen in the channel's conversation id, so this opened a ticket of alice's named after it.
        var erin = await Eventually.WaitAsync(() => web.GetFromJsonAsync<ChatResponse>("/chat/messages?conversation=dm-erin&person=erin").Result!.Messages
            .FirstOrDefault(m => m.Text.Contains("Which laptop model is it?", StringComparison.Ordinal)), "alice's question at erin's");
        Assert.StartsWith("Alice Agent (IT support)", erin.Text, StringComparison.Ordinal);
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Contains(await _app.Get<IEventLog>().ReadTicketAsync(ticket.Key), e => e.Type == EventType.Responded && e.Actor == "alice");

        // erin's answer goes into the card's thread: the thread's own conversation id, not a new post of the channel.
        (await web.PostAsJsonAsync("/chat/send", new { person = "erin", text = "a Dell XPS 13", conversation = "dm-erin", thread = erin.Thread })).EnsureSuccessStatusCode();
        var relayed = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Body?.Contains("a Dell XPS 13", StringComparison.Ordinal) == true), "erin's answer in Teams");
        Assert.Equal(("POST", $"/teams/v3/conversations/{QueueChannel};messageid={cardId}/activities/{cardId}"), (relayed.RequestMessage.Method, relayed.RequestMessage.AbsolutePath));
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
