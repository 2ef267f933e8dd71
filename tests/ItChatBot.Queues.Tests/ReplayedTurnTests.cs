using System.Globalization;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

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

    [Fact]
    public async Task A_reply_that_reopened_its_ticket_runs_again_and_records_one_reopen_and_sends_what_the_first_run_would_have()
    {
        using var app = new QueueApp();
        var (ticket, first, replayed) = await ReplyTwiceAfterResolvingAsync(app, TimeSpan.FromDays(2));

        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Reopened);
        Assert.Equal(1, (await app.TicketAsync(ticket.Key)).ReopenCount);
        Assert.Contains(replayed.Replies, m => m.Card.Text == $"{ticket.Key} is open again and the IT team has your message.");
        Assert.Contains(replayed.Replies, m => m.Card.Text?.Contains("Reopened: It is flickering again", StringComparison.Ordinal) == true);
        Assert.Equal(Said(first), Said(replayed));
    }

    [Fact]
    public async Task A_reply_that_opened_a_follow_up_runs_again_and_opens_no_second_one()
    {
        using var app = new QueueApp();
        var (ticket, first, replayed) = await ReplyTwiceAfterResolvingAsync(app, TimeSpan.FromDays(8));

        var tickets = await app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" });
        Assert.Equal(2, tickets.Count);
        var followUp = Assert.Single(tickets, t => t.Key != ticket.Key).Key;
        Assert.Contains(replayed.Replies, m => m.Ticket == followUp && m.Card.Text == $"{ticket.Key} was resolved more than 7 days ago, so this is a new request, {followUp}, linked to it.");
        Assert.Single(await app.Get<IQueueStore>().PostsOfAsync(followUp));
        // The first run posted the queue's card with the ticket; the replay may refresh it in place (the same card), and
        // says everything else as the first run did.
        Assert.Equal(Said(first), Said(replayed).Where(s => !s.Contains($"queue-post:{followUp}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_agent_reply_that_runs_again_records_one_response_and_reaches_the_requester_as_the_first_run_would_have()
    {
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var reply = new InboundMessage
        {
            PlatformId = "web:q-1",
            Conversation = new ConversationRef(Channels.Web, "queue-it", QueueIds.WebThread(ticket.Key, "IT")),
            FromPlatformUserId = "alice",
            ReceivedAt = app.Clock.GetUtcNow(),
            MessageId = "q-1",
            Text = "Try another cable, please",
        };

        var first = await router.RouteAsync(reply);
        var replayed = await router.RouteAsync(reply);

        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Responded);
        Assert.Contains(replayed.Replies, m => m.Conversation.ConversationId == "dm-erin" && m.Card.Text?.Contains("Try another cable, please", StringComparison.Ordinal) == true);
        // The first response stops the response clock, so the queue's card is updated in the replay too.
        Assert.Contains(replayed.Replies, m => m.UpdateOf is not null);
        Assert.Equal(Said(first), Said(replayed));
    }

    [Theory]
    [InlineData("claim {0}")]
    [InlineData("escalate {0}")]
    [InlineData("wait {0}")]
    [InlineData("priority {0} P1")]
    [InlineData("resolve {0} replaced the cable")]
    public async Task An_agent_command_that_runs_again_records_its_change_once_and_says_what_the_first_run_would_have(string verb)
    {
        // Run again, each of these would have been refused (already claimed, already at the next tier, already waiting,
        // already P1, already resolved) and the requester and the queue never told.
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var command = AgentCommand(app, "c-desk", string.Format(CultureInfo.InvariantCulture, verb, ticket.Key));

        var first = await router.RouteAsync(command);
        var recorded = (await app.EventsAsync(ticket.Key)).Count;
        var replayed = await router.RouteAsync(command);

        Assert.Equal(recorded, (await app.EventsAsync(ticket.Key)).Count);
        Assert.Contains(first.Replies, m => m.Conversation.ConversationId == "dm-erin" || m.UpdateOf is not null);
        Assert.Equal(Said(first), Said(replayed));
    }

    [Fact]
    public async Task A_reopen_command_that_runs_again_reopens_once_and_tells_the_requester()
    {
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        var command = AgentCommand(app, "c-reopen", $"reopen {ticket.Key} customer called back");

        var first = await router.RouteAsync(command);
        var replayed = await router.RouteAsync(command);

        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Reopened);
        Assert.Contains(replayed.Replies, m => m.Conversation.ConversationId == "dm-erin" && m.Card.Text == $"Alice Agent reopened your request.");
        Assert.Equal(Said(first), Said(replayed));
    }

    [Fact]
    public async Task A_withdraw_press_that_runs_again_withdraws_once_and_answers_as_the_first_run_would_have()
    {
        using var app = new QueueApp();
        var router = app.Get<ConversationRouter>();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        var press = new CardAction
        {
            PlatformId = "web:a-withdraw",
            Conversation = new ConversationRef(Channels.Web, "dm-erin", thread),
            FromPlatformUserId = "erin",
            ReceivedAt = app.Clock.GetUtcNow(),
            ActionId = TicketActions.Withdraw,
            Value = ticket.Key,
        };

        var first = await router.RouteAsync(press);
        var replayed = await router.RouteAsync(press);

        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Resolved);
        Assert.Contains(replayed.Replies, m => m.Card.Text == "Withdrawn: the request is closed as no longer needed.");
        Assert.Equal(Said(first), Said(replayed));
    }

    /// <summary>
    /// Erin's ticket, resolved by Alice, then Erin's reply in its thread <paramref name="after"/> later, routed twice: the
    /// second time as the run that completes after a stop.
    /// </summary>
    private static async Task<(Ticket Ticket, Turn First, Turn Replayed)> ReplyTwiceAfterResolvingAsync(QueueApp app, TimeSpan after)
    {
        var router = app.Get<ConversationRouter>();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        app.Clock.Advance(after);
        var reply = Message(app, "m-again", "It is flickering again", thread);
        return (ticket, await router.RouteAsync(reply), await router.RouteAsync(reply));
    }

    /// <summary>What a turn said and where, without the ids each run gives its messages.</summary>
    private static IEnumerable<string> Said(Turn turn) =>
        turn.Replies.Select(m => $"{m.Conversation} {m.UpdateOf} {m.Card.Title} {m.Card.Text}");

    /// <summary>Erin's request as a message in her DM, or as the same text after <c>/it</c>.</summary>
    private static Inbound Request(QueueApp app, string kind, string id, string text) =>
        kind == "command" ? Command(app, $"c-{id}", text) : Message(app, $"m-{id}", text);

    /// <summary>Alice's <c>/it &lt;text&gt;</c> in her team's queue channel.</summary>
    private static InboundCommand AgentCommand(QueueApp app, string id, string text) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef(Channels.Web, "queue-it"),
        FromPlatformUserId = "alice",
        ReceivedAt = app.Clock.GetUtcNow(),
        Name = "it",
        Text = text,
    };

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

    /// <summary>Erin's message in her web chat DM (in a thread of it when given), as the web chat hands it to the router (its platform id from its message id).</summary>
    private static InboundMessage Message(QueueApp app, string id, string text, string? thread = null) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef(Channels.Web, "dm-erin", thread),
        FromPlatformUserId = "erin",
        ReceivedAt = app.Clock.GetUtcNow(),
        MessageId = id,
        Text = text,
    };
}
