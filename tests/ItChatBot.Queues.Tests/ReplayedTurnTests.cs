using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// A delivery whose turn stored its ticket but not its replies (the process stopped in between) is still pending in the
/// inbox and runs again after the restart. It must answer with the ticket it opened, not open a second: a message finds it
/// by the thread under it, a command by its delivery.
/// </summary>
public sealed class ReplayedTurnTests
{
    [Theory]
    [InlineData("message")]
    [InlineData("command")]
    public async Task A_request_whose_turn_runs_again_answers_with_the_ticket_it_opened_the_first_time(string kind)
    {
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();
        var request = Request(app, kind, "replayed", "my laptop screen is flickering");

        var first = await router.RouteAsync(request);
        var replayed = await router.RouteAsync(request);

        var key = Assert.Single(first.Replies).Ticket;
        Assert.NotNull(key);
        Assert.Equal(key, Assert.Single(replayed.Replies).Ticket);
        Assert.Equal(first.Replies[0].Card.Text, replayed.Replies[0].Card.Text);
        Assert.Equal(first.Replies[0].Conversation, replayed.Replies[0].Conversation);
        Assert.Single(await app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" }));
        Assert.Single(await app.Get<IQueueStore>().PostsOfAsync(key));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("command")]
    public async Task Two_requests_with_the_same_text_in_the_same_conversation_open_two_tickets(string kind)
    {
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();

        var first = await router.RouteAsync(Request(app, kind, "1", "my laptop screen is flickering"));
        var second = await router.RouteAsync(Request(app, kind, "2", "my laptop screen is flickering"));

        Assert.NotEqual(Assert.Single(first.Replies).Ticket, Assert.Single(second.Replies).Ticket);
        Assert.Equal(2, (await app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" })).Count);
    }

    /// <summary>Erin's request as a message in her DM, or as the same text after <c>/it</c>.</summary>
    private static Inbound Request(QueueApp app, string kind, string id, string text) =>
        kind == "command" ? Command(app, $"c-{id}", text) : Message(app, $"m-{id}", text);

    /// <summary>Erin's <c>/it &lt;text&gt;</c> shaped as Slack delivers a slash command: no message of its own, so no thread under it.</summary>
    private static InboundCommand Command(QueueApp app, string id, string text) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef(Channels.Web, "dm-erin"),
        FromPlatformUserId = "erin",
        ReceivedAt = app.Clock.GetUtcNow(),
        Name = "it",
        Text = text,
    };

    /// <summary>Erin's message in her web chat DM, as the web chat hands it to the router (its platform id from its message id).</summary>
    private static InboundMessage Message(QueueApp app, string id, string text) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef(Channels.Web, "dm-erin"),
        FromPlatformUserId = "erin",
        ReceivedAt = app.Clock.GetUtcNow(),
        MessageId = id,
        Text = text,
    };
}
