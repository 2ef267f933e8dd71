using System.Net;
using System.Net.Http.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// A Teams personal chat has no threads: a requester answers an agent's question with a new message. While the agent waits
/// for it, that message goes to the request they asked on, not into a ticket of its own.
/// </summary>
public sealed class TopLevelAnswerTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public TopLevelAnswerTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework, new Dictionary<string, string?> { ["Demo:SeedDirectory"] = "true" });
    }

    private Task<HttpResponseMessage> SayAsync(string text) =>
        _app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, text).Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));

    [Fact]
    public async Task An_answer_in_the_personal_chat_reaches_the_ticket_the_agent_asked_on()
    {
        Assert.Equal(HttpStatusCode.OK, (await SayAsync("my laptop battery drains in an hour")).StatusCode);
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count > 0, "the answer");
        var ticket = await Eventually.WaitAsync(() => _app.Get<ITicketStore>().QueryAsync(new TicketQuery()).Result is [var only] ? only : null, "the ticket: " + _botFramework.ConnectorCalls()[0].RequestMessage.Body);
        using (var client = _app.CreateClient())
        using (var reply = await client.PostAsJsonAsync("/chat/send", new { person = "alice", text = "Which laptop model is it?", conversation = "queue-it", thread = $"queue-{ticket.Key}-IT" }))
        {
            Assert.True(reply.StatusCode == HttpStatusCode.OK, await reply.Content.ReadAsStringAsync());
        }

        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Any(c => c.RequestMessage.Body?.Contains("Which laptop model is it?", StringComparison.Ordinal) == true), "the agent's question in Teams");

        await SayAsync("a Dell XPS 13");

        var notice = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Body?.Contains($"Added to {ticket.Key}", StringComparison.Ordinal) == true), "the notice");
        Assert.Contains("Alice Agent is waiting for your answer on", notice.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains("Open as a new request", notice.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        using var web = _app.CreateClient();
        var queue = await web.GetFromJsonAsync<ItChatBot.Host.WebChat.ChatResponse>("/chat/messages?conversation=queue-it&person=alice");
        Assert.Contains(queue!.Messages, m => m.Thread == $"queue-{ticket.Key}-IT" && m.Text.Contains("a Dell XPS 13", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
