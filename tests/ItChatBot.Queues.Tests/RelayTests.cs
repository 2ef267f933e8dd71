using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Queues.Tests;

public sealed class RelayTests
{
    [Fact]
    public async Task A_new_request_is_posted_to_its_team_queue_with_the_agent_buttons()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        var queue = await app.ConversationAsync("queue-it", "alice");
        var card = Assert.Single(queue, m => m.Ticket == ticket.Key);
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), card.Thread);
        foreach (var action in new[] { QueueActions.Claim, QueueActions.Assign, QueueActions.Escalate, QueueActions.Resolve })
        {
            Assert.Contains($"data-action-id=\"{action}\"", card.Html, StringComparison.Ordinal);
        }

        Assert.Contains("Erin Employee", card.Text, StringComparison.Ordinal);
        Assert.Contains("SLA", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.ConversationAsync("queue-sec", "sam"), m => m.Ticket == ticket.Key);
    }

    [Fact]
    public async Task An_agent_reply_in_the_queue_thread_reaches_the_requester_and_is_the_first_response()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        app.Clock.Advance(TimeSpan.FromMinutes(20));

        await app.SendAsync("alice", "Can you try another cable?", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        var requesterSide = await app.ConversationAsync($"dm-erin", "erin");
        var relayed = Assert.Single(requesterSide, m => m.Text.Contains("Can you try another cable?", StringComparison.Ordinal));
        Assert.Equal(thread, relayed.Thread);
        Assert.Contains("Alice Agent", relayed.Text, StringComparison.Ordinal);

        var responded = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Responded);
        Assert.Equal("alice", responded.Actor);
        Assert.Equal(ActorKind.Agent, responded.ActorKind);
        Assert.Equal(app.Clock.GetUtcNow(), (await app.TicketAsync(ticket.Key)).FirstResponseAt);

        // A second reply is another Responded, but the first response stays the first.
        var first = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.SendAsync("bob", "Or a different port?", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));
        Assert.Equal(2, (await app.EventsAsync(ticket.Key)).Count(e => e.Type == EventType.Responded));
        Assert.Equal(first, (await app.TicketAsync(ticket.Key)).FirstResponseAt);
    }

    [Fact]
    public async Task A_requester_reply_in_their_thread_reaches_the_queue_thread_and_nothing_else()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var replies = await app.SendAsync("erin", "It started after the update", "dm-erin", thread);

        var queue = await app.ConversationAsync("queue-it", "alice");
        var relayed = Assert.Single(queue, m => m.Text.Contains("It started after the update", StringComparison.Ordinal));
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), relayed.Thread);
        Assert.DoesNotContain(replies, m => m.Conversation == "dm-erin" && m.Text.Contains("It started after the update", StringComparison.Ordinal));
        // A requester's message is no response and changes nothing on an open ticket.
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Theory]
    [InlineData("never mind, I fixed it myself", true)]
    [InlineData("please cancel this", true)]
    [InlineData("I don't need it anymore", true)]
    [InlineData("It started after the update", false)]
    [InlineData("the meeting got cancelled so I tried again", false)]
    public async Task A_requester_reply_saying_they_no_longer_need_it_is_passed_on_and_offers_the_withdrawal(string text, bool offered)
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");

        var replies = await app.SendAsync("erin", text, "dm-erin", thread);

        Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains(text, StringComparison.Ordinal));
        var offer = replies.Where(m => m.Ephemeral && m.Html.Contains($"data-action-id=\"{TicketActions.Withdraw}\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(offered ? 1 : 0, offer.Count);
        if (offered)
        {
            Assert.StartsWith($"{ticket.Key}: withdraw it?\nThe IT team has your message.", offer[0].Text, StringComparison.Ordinal);
            // The offer decides nothing: the ticket stays open until the requester presses it.
            Assert.Equal(TicketStatus.New, (await app.TicketAsync(ticket.Key)).Status);
            await app.ActAsync("erin", TicketActions.Withdraw, ticket.Key);
            Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(ticket.Key)).Status);
        }
    }

    [Theory]
    [InlineData("never mind, I don't need it anymore", true)] // was passed on, with no way offered to take it back
    [InlineData("please cancel this request", true)]
    [InlineData("my manager is on holiday, can someone else approve?", false)]
    public async Task A_requester_reply_while_an_approval_waits_offers_the_withdrawal_when_they_no_longer_need_it(string text, bool offered)
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Tableau for 2 days");
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);

        var replies = await app.SendAsync("erin", text, "dm-erin", thread);

        Assert.Contains(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Erin Employee wrote on {ticket.Key}" && m.Text.Contains(text, StringComparison.Ordinal));
        var offer = replies.Where(m => m.Ephemeral && m.Html.Contains($"data-action-id=\"{TicketActions.Withdraw}\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(offered ? 1 : 0, offer.Count);
        if (offered)
        {
            Assert.Equal($"{ticket.Key}: withdraw it?\nIf you no longer need this request, withdraw it here: nothing is left waiting for approval and the automation stops.\n{ticket.Key}",
                offer[0].Text);
            Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status); // the offer decides nothing
            await app.ActAsync("erin", TicketActions.Withdraw, ticket.Key);
            Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(ticket.Key)).Status);
            Assert.Contains(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"No longer needed: {ticket.Key}");
        }
    }

    [Fact]
    public async Task A_requester_reply_resumes_a_ticket_waiting_on_them()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it claim {ticket.Key}");
        await app.SendAsync("alice", $"/it wait {ticket.Key}");
        Assert.Equal(TicketStatus.WaitingOnRequester, (await app.TicketAsync(ticket.Key)).Status);
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("waiting for your answer", StringComparison.Ordinal));

        await app.SendAsync("erin", "Here is the photo", "dm-erin", thread);

        var resumed = await app.TicketAsync(ticket.Key);
        Assert.Equal(TicketStatus.InProgress, resumed.Status);
        var last = (await app.EventsAsync(ticket.Key))[^1];
        Assert.Equal((EventType.StatusChanged, "erin", ActorKind.Requester), (last.Type, last.Actor, last.ActorKind));
    }

    [Fact]
    public async Task Waiting_with_a_question_sends_it_to_the_requester_as_the_agents_first_response()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my docking station does not charge my laptop");
        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        var notice = Assert.Single(await app.SendAsync("alice", $"/it wait {ticket.Key} which dock model do you have?"), m => m.Ephemeral);

        Assert.Contains("was asked: \"which dock model do you have?\"", notice.Text, StringComparison.Ordinal);
        var waiting = await app.TicketAsync(ticket.Key);
        Assert.Equal(TicketStatus.WaitingOnRequester, waiting.Status);
        Assert.NotNull(waiting.FirstResponseAt);
        var events = await app.EventsAsync(ticket.Key);
        Assert.Equal([EventType.Responded, EventType.StatusChanged], events.TakeLast(2).Select(e => e.Type));
        var asked = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("which dock model do you have?", StringComparison.Ordinal));
        Assert.Equal(("Alice Agent (IT support)", thread), (asked.Title, asked.Thread));

        // Asked again while it waits: the question is still sent, and the status is not recorded twice.
        await app.SendAsync("alice", $"/it wait {ticket.Key} and which laptop?");
        Assert.Equal(events.Count + 1, (await app.EventsAsync(ticket.Key)).Count);
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("and which laptop?", StringComparison.Ordinal));

        await app.SendAsync("erin", "a WD19, on a Latitude 7440", "dm-erin", thread);
        Assert.Equal(TicketStatus.InProgress, (await app.TicketAsync(ticket.Key)).Status);
    }

    [Fact]
    public async Task Waiting_with_a_question_on_an_imported_ticket_is_refused_and_nothing_is_stored()
    {
        using var app = new QueueApp();
        // An imported ticket: a Created with no conversation of its requester's to ask in.
        await app.Get<IEventLog>().AppendAsync(Events.Of("IT-7").Created(app.Clock.GetUtcNow(), requester: "erin").List);
        var before = await app.Get<IEventLog>().CountAsync();

        var refusal = Assert.Single(await app.SendAsync("alice", "/it wait IT-7 which dock model do you have?"));

        Assert.True(refusal.Ephemeral);
        Assert.Contains("IT-7 has no conversation with its requester to ask in (it was imported); nothing was changed.", refusal.Text, StringComparison.Ordinal);
        Assert.Equal(before, await app.Get<IEventLog>().CountAsync());
        Assert.NotEqual(TicketStatus.WaitingOnRequester, (await app.TicketAsync("IT-7")).Status);
    }

    [Fact]
    public async Task Someone_outside_the_team_replying_in_the_queue_thread_is_refused_and_nothing_is_relayed()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var replies = await app.SendAsync("sam", "I can look at it", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        var refusal = Assert.Single(replies);
        Assert.True(refusal.Ephemeral);
        Assert.Contains("Only agents of the IT team", refusal.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("I can look at it", StringComparison.Ordinal));
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Fact]
    public async Task A_requester_message_while_an_approval_is_pending_reaches_the_queue_channel_and_the_ticket_stays_with_automation()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
        Assert.DoesNotContain(await app.ConversationAsync("queue-it", "alice"), m => m.Ticket == ticket.Key);
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var replies = await app.SendAsync("erin", "my manager is on holiday, can someone else approve?", "dm-erin", thread);

        var told = Assert.Single(replies, m => m.Conversation == "dm-erin");
        Assert.Equal(thread, told.Thread);
        // Dave, her manager, was asked to approve it directly: he gets it too (ApproverQuestionTests).
        Assert.Contains($"The IT team and Dave Manager have your message. {ticket.Key} is pending approval.", told.Text, StringComparison.Ordinal);
        // The ticket's card is posted (pending approval, with its buttons), and the message goes in the card's thread.
        var queue = await app.ConversationAsync("queue-it", "alice");
        var card = Assert.Single(queue, m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Status: Pending approval", card.Text, StringComparison.Ordinal);
        Assert.Contains($"data-action-id=\"{QueueActions.Claim}\"", card.Html, StringComparison.Ordinal);
        var posted = Assert.Single(queue, m => m.Text.Contains("my manager is on holiday", StringComparison.Ordinal));
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), posted.Thread);
        Assert.Contains("Erin Employee wrote on", posted.Text, StringComparison.Ordinal);
        Assert.Contains($"/it claim {ticket.Key}", posted.Text, StringComparison.Ordinal);
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);

        // A second message goes in the same thread, under the one card (before: a second post at the channel's top).
        await app.SendAsync("erin", "it is for the launch on Friday", "dm-erin", thread);
        queue = await app.ConversationAsync("queue-it", "alice");
        Assert.Single(queue, m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), Assert.Single(queue, m => m.Text.Contains("launch on Friday", StringComparison.Ordinal)).Thread);

        // From now on the ticket has its card, and the requester's messages are replies in its thread like any other
        // ticket's; nothing more is posted at the channel's top.
        await app.SendAsync("erin", "thanks!", "dm-erin", thread);
        Assert.All(await app.ConversationAsync("queue-it", "alice"), m => Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), m.Thread));
    }
}
