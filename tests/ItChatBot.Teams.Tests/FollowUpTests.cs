using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// A Teams personal chat has no threads: what a requester adds to the request they have just made ("it's a Dell XPS 13")
/// comes as a new message. Within <c>Queues:FollowUpWindow</c> it goes to that request, not into a ticket of its own, unless
/// it is plainly another kind of request; a channel, which has threads, is unchanged.
/// </summary>
public sealed class FollowUpTests : IDisposable
{
    private const string Request = "my laptop battery drains in an hour";
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private TeamsApp _app;

    public FollowUpTests()
    {
        _botFramework.ServeKeys(_key);
        _app = Start();
    }

    private TeamsApp Start(string? window = null)
    {
        var settings = new Dictionary<string, string?> { ["Demo:SeedDirectory"] = "true" };
        if (window is not null)
        {
            settings["Queues:FollowUpWindow"] = window;
        }

        return new TeamsApp(_botFramework, settings);
    }

    private async Task SayAsync(string text, string conversationId = "a:personal-1", string conversationType = "personal")
    {
        var activity = TestActivities.Message(_botFramework.ServiceUrl, text, conversationId, conversationType);
        using var response = await _app.PostActivityAsync(activity.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The bodies of the connector calls whose body contains <paramref name="text"/>, waiting for the first.</summary>
    private Task<string> SentAsync(string text) =>
        Eventually.WaitAsync(
            () => _botFramework.ConnectorCalls().Select(c => c.RequestMessage.Body).FirstOrDefault(b => b?.Contains(text, StringComparison.Ordinal) == true),
            $"a message containing '{text}'; sent: " + string.Join("\n", _botFramework.ConnectorCalls().Select(c => c.RequestMessage.Body)));

    private async Task<Ticket> OpenAsync(string text = Request)
    {
        await SayAsync(text);
        await SentAsync("your request is logged");
        return await Eventually.WaitAsync(() => TicketsAsync().Result is [var only] ? only : null, "the ticket");
    }

    private Task<IReadOnlyList<Ticket>> TicketsAsync() => _app.Get<ITicketStore>().QueryAsync(new TicketQuery());

    private async Task<IReadOnlyList<ChatMessage>> QueueAsync()
    {
        using var web = _app.CreateClient();
        return (await web.GetFromJsonAsync<ChatResponse>("/chat/messages?conversation=queue-it&person=alice"))!.Messages;
    }

    /// <summary>Waits until the turn of the last message said has been answered, by waiting for a message only it sends.</summary>
    private async Task<int> CallsAfterAsync(Func<Task> say)
    {
        var before = _botFramework.ConnectorCalls().Count;
        await say();
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count > before, "an answer");
        return before;
    }

    [Fact]
    public async Task Details_added_in_the_personal_chat_go_to_the_request_just_opened()
    {
        var ticket = await OpenAsync();
        var receipt = await SentAsync("your request is logged");
        Assert.Contains($"your request is logged with the IT team. Anything to add? Write it here within 15 minutes and it goes to {ticket.Key}.", receipt, StringComparison.Ordinal);

        await SayAsync("it's a Dell XPS 13, about three years old");

        var notice = await SentAsync($"Added to {ticket.Key}");
        Assert.Contains($"You opened {ticket.Key} ({Request}) here a moment ago, so your message went there as more detail; the IT team has it.", notice, StringComparison.Ordinal);
        Assert.Contains("Open as a new request", notice, StringComparison.Ordinal);
        Assert.Contains(AwaitedAnswerActionHandler.OpenNew, notice, StringComparison.Ordinal);
        Assert.Single(await TicketsAsync());
        Assert.Contains(await QueueAsync(), m => m.Thread == $"queue-{ticket.Key}-IT"
            && m.Text.Contains($"replied on {ticket.Key}\nit's a Dell XPS 13, about three years old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_kind_of_request_thanks_or_a_message_after_the_window_open_or_answer_as_before()
    {
        var ticket = await OpenAsync();

        // Thanks for the receipt: no request, and nothing for the team to read.
        await CallsAfterAsync(() => SayAsync("thanks!"));
        await SentAsync("welcome");

        // Finance's kind of request, not a detail of a laptop's battery.
        await SayAsync("my expense report was rejected twice");
        await SentAsync("logged with the Finance team");

        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        await SayAsync("my docking station does not charge the laptop");

        var tickets = await Eventually.WaitAsync(() => TicketsAsync().Result is { Count: 3 } all ? all : null, "three tickets");
        Assert.Equal(["my docking station does not charge the laptop", "my expense report was rejected twice", Request], tickets.Select(t => t.Subject).Order().ToArray());
        Assert.DoesNotContain(_botFramework.ConnectorCalls(), c => c.RequestMessage.Body?.Contains($"Added to {ticket.Key}", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(await QueueAsync(), m => m.Text.Contains("replied on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_confirmation_that_it_works_goes_to_the_request_with_the_button_that_closes_it()
    {
        var ticket = await OpenAsync();

        await SayAsync("works now, thanks");

        var offer = await SentAsync($"{ticket.Key}: close it?");
        Assert.Contains(TicketCards.FixedButton(ticket.Key).ActionId, offer, StringComparison.Ordinal);
        Assert.Single(await TicketsAsync());
    }

    [Fact]
    public async Task A_channel_has_threads_so_a_second_mention_there_is_a_request_of_its_own()
    {
        const string channel = "19:general@thread.tacv2";
        await SayAsync($"<at>ItChatBot</at> {Request}", channel, "channel");
        await SentAsync("your request is logged");
        await Eventually.WaitAsync(() => TicketsAsync().Result.Count == 1, "the first ticket");

        await SayAsync("<at>ItChatBot</at> it's a Dell XPS 13, about three years old", channel, "channel");

        await Eventually.WaitAsync(() => TicketsAsync().Result.Count == 2, "a second ticket");
        Assert.DoesNotContain(_botFramework.ConnectorCalls(), c => c.RequestMessage.Body?.Contains("Anything to add?", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_botFramework.ConnectorCalls(), c => c.RequestMessage.Body?.Contains("Added to", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task In_a_group_chat_only_the_requesters_own_detail_goes_to_their_request()
    {
        const string chat = "19:project-chat@thread.v2";
        async Task MentionAsync(string text, string? otherUser = null)
        {
            var activity = TestActivities.Message(_botFramework.ServiceUrl, $"<at>ItChatBot</at> {text}", chat, "groupChat");
            activity["entities"] = new JsonArray { new JsonObject { ["type"] = "mention", ["text"] = "<at>ItChatBot</at>", ["mentioned"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = "ItChatBot" } } };
            if (otherUser is not null)
            {
                activity["from"] = new JsonObject { ["id"] = "29:" + otherUser, ["name"] = otherUser, ["aadObjectId"] = otherUser };
            }

            using var response = await _app.PostActivityAsync(activity.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await MentionAsync(Request);
        var ticket = await Eventually.WaitAsync(() => TicketsAsync().Result is [var only] ? only : null, "the ticket");

        // Someone else in the chat: their message is theirs, whatever it says.
        await MentionAsync("it's a Dell XPS 13 too, same problem here", otherUser: "aad-0002");
        await Eventually.WaitAsync(() => TicketsAsync().Result.Count == 2, "the other person's own request");

        await MentionAsync("it's a Dell XPS 13, about three years old");

        await SentAsync($"Added to {ticket.Key}");
        Assert.Equal(2, (await TicketsAsync()).Count);
    }

    [Fact]
    public async Task With_the_window_at_zero_every_message_is_a_request_of_its_own()
    {
        _app.Dispose();
        _app = Start(window: "00:00:00");
        await OpenAsync();

        await SayAsync("it's a Dell XPS 13, about three years old");

        await Eventually.WaitAsync(() => TicketsAsync().Result.Count == 2, "a second ticket");
        Assert.DoesNotContain(_botFramework.ConnectorCalls(), c => c.RequestMessage.Body?.Contains("Added to", StringComparison.Ordinal) == true);
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
