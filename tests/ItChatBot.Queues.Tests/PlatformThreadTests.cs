using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// Slack and Teams give a queue card's thread id only once the card is sent, and mention people with their own
/// syntax. These tests route channel-neutral inbounds as the Slack adapter would.
/// </summary>
public sealed class PlatformThreadTests
{
    private static readonly Dictionary<string, string?> WithSlackQueue = new()
    {
        ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
        ["SupportTeams:IT:QueueChannels:slack"] = "C0QUEUE",
    };

    private static async Task GiveSlackIdsAsync(QueueApp app)
    {
        var directory = app.Get<IDirectory>();
        foreach (var (id, slack) in new[] { ("alice", "UALICE"), ("bob", "UBOB") })
        {
            var person = (await directory.FindAsync(id))!;
            person.PlatformIds["slack"] = slack;
            await directory.UpsertAsync(person);
        }
    }

    private static Task<Turn> RouteAsync(QueueApp app, Inbound inbound) => app.Get<ConversationRouter>().RouteAsync(inbound);

    [Fact]
    public async Task A_slack_reply_under_the_sent_queue_card_reaches_the_requester()
    {
        using var app = new QueueApp(WithSlackQueue);
        await GiveSlackIdsAsync(app);
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        var post = Assert.Single(await app.Get<IQueueStore>().PostsOfAsync(ticket.Key));
        var slack = Assert.Single(post.Messages, m => m.Channel == "slack");
        Assert.Null(slack.ThreadId);

        // The Slack sender posted the card; Slack's ts of that message is the thread.
        await app.Get<IOutbox>().MarkSentAsync(slack.OutboundId, "1700000000.000100", app.Clock.GetUtcNow());
        var turn = await RouteAsync(app, new InboundMessage
        {
            PlatformId = "slack:Ev1",
            Conversation = new ConversationRef("slack", "C0QUEUE", "1700000000.000100"),
            FromPlatformUserId = "UALICE",
            ReceivedAt = app.Clock.GetUtcNow(),
            Text = "Which model is it?",
        });

        var relayed = Assert.Single(turn.Replies, m => m.Conversation.ConversationId == "dm-erin");
        Assert.Equal(thread, relayed.Conversation.ThreadId);
        Assert.Equal("alice", Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Responded).Actor);
        Assert.Equal("1700000000.000100", Assert.Single((await app.Get<IQueueStore>().PostsOfAsync(ticket.Key))[0].Messages, m => m.Channel == "slack").ThreadId);

        // The requester's reply goes to the Slack thread as well as the web queue thread.
        await app.SendAsync("erin", "A ThinkPad X1", "dm-erin", thread);
        var toSlack = await app.Get<IOutbox>().ListConversationAsync("slack", "C0QUEUE", 0);
        Assert.Contains(toSlack, e => e.Message.Conversation.ThreadId == "1700000000.000100" && e.Message.Card.Text == "A ThinkPad X1");
    }

    [Fact]
    public async Task A_slack_mention_names_the_assignee()
    {
        using var app = new QueueApp(WithSlackQueue);
        await GiveSlackIdsAsync(app);
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        await RouteAsync(app, new InboundCommand
        {
            PlatformId = "slack:cmd1",
            Conversation = new ConversationRef("slack", "C0QUEUE"),
            FromPlatformUserId = "UALICE",
            ReceivedAt = app.Clock.GetUtcNow(),
            Name = "it",
            Text = $"assign {ticket.Key} <@UBOB|bob>",
        });

        var assigned = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Assigned);
        Assert.Equal(("alice", "bob"), (assigned.Actor, assigned.Get(EventData.Assignee)));
    }

    [Fact]
    public async Task A_note_in_the_slack_queue_thread_stays_with_the_team_and_shows_on_the_web_queue_card()
    {
        using var app = new QueueApp(WithSlackQueue);
        await GiveSlackIdsAsync(app);
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var slack = Assert.Single(Assert.Single(await app.Get<IQueueStore>().PostsOfAsync(ticket.Key)).Messages, m => m.Channel == "slack");
        await app.Get<IOutbox>().MarkSentAsync(slack.OutboundId, "1700000000.000200", app.Clock.GetUtcNow());

        var turn = await RouteAsync(app, new InboundMessage
        {
            PlatformId = "slack:Ev2",
            Conversation = new ConversationRef("slack", "C0QUEUE", "1700000000.000200"),
            FromPlatformUserId = "UALICE",
            ReceivedAt = app.Clock.GetUtcNow(),
            Text = "note: asked facilities about the desk, not the laptop",
        });

        var told = Assert.Single(turn.Replies, m => m.EphemeralTo is not null);
        Assert.Equal(("C0QUEUE", "1700000000.000200"), (told.Conversation.ConversationId, told.Conversation.ThreadId));
        Assert.DoesNotContain(turn.Replies, m => m.Conversation.ConversationId == "dm-erin");
        Assert.Equal("alice", Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.NoteAdded).Actor);
        Assert.DoesNotContain(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Responded);
        var webCard = (await app.ConversationAsync("queue-it", "bob")).Last(m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Latest internal note: Alice Agent: asked facilities about the desk", webCard.Text, StringComparison.Ordinal);
    }
}
