using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// While an approval waits, the approver and the requester can talk about it: the approver's message naming the ticket
/// reaches the requester's thread, and the requester's answer reaches the approver's DM. Before, the approver's message
/// opened a ticket of its own, and the requester's answer reached only the queue.
/// </summary>
public sealed class ApproverQuestionTests
{
    [Fact]
    public async Task An_approvers_question_naming_the_ticket_reaches_the_requesters_thread_and_opens_nothing()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
        var before = (Tickets: await app.CountTicketsAsync(), Events: (await app.EventsAsync(ticket.Key)).Count);

        var replies = await app.SendAsync("dave", $"{ticket.Key}: which project is Figma for?");

        var asked = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Title == $"Dave Manager asks about {ticket.Key}");
        Assert.Equal(thread, asked.Thread);
        Assert.StartsWith($"Dave Manager asks about {ticket.Key}\n{ticket.Key}: which project is Figma for?\n{ticket.Key} · Dave Manager is asked to approve this · reply here to answer", asked.Text, StringComparison.Ordinal);
        var told = Assert.Single(replies, m => m.Ephemeral);
        Assert.Contains($"Erin Employee has your message in {ticket.Key}'s thread", told.Text, StringComparison.Ordinal);
        Assert.Equal(before, (await app.CountTicketsAsync(), (await app.EventsAsync(ticket.Key)).Count));
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
    }

    [Fact]
    public async Task An_approvers_reply_under_the_approval_card_in_the_web_chat_reaches_the_requesters_thread_and_opens_nothing()
    {
        // Before, the card in the approver's direct messages had no thread: the reply, sent under it, opened a request of
        // Dave's own (asked "Did you mean… time-bound access?").
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");
        var card = Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Approval needed: {ticket.Key}");
        Assert.Contains($"{ticket.Key} · You are asked to approve this for Erin Employee. To ask them something, reply in this thread.", card.Text, StringComparison.Ordinal);
        var before = (Tickets: await app.CountTicketsAsync(), Events: (await app.EventsAsync(ticket.Key)).Count);

        var replies = await app.SendAsync("dave", "which project is Figma for?", "dm-dave", card.Id);

        var asked = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Title == $"Dave Manager asks about {ticket.Key}");
        Assert.Equal(thread, asked.Thread);
        Assert.StartsWith($"Dave Manager asks about {ticket.Key}\nwhich project is Figma for?\n", asked.Text, StringComparison.Ordinal);
        var told = Assert.Single(replies, m => m.Conversation == "dm-dave");
        Assert.True(told.Ephemeral);
        Assert.Equal(card.Id, told.Thread);
        Assert.Contains($"Erin Employee has your message in {ticket.Key}'s thread", told.Text, StringComparison.Ordinal);
        Assert.Equal(before, (await app.CountTicketsAsync(), (await app.EventsAsync(ticket.Key)).Count));

        // The requester's answer comes to Dave as a card of the ticket too, and a reply under it is the next question.
        await app.SendAsync("erin", "the checkout redesign", "dm-erin", thread);
        var answer = Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Erin Employee wrote on {ticket.Key}");
        Assert.EndsWith("to answer, reply in this thread", answer.Text, StringComparison.Ordinal);
        await app.SendAsync("dave", "and until when?", "dm-dave", answer.Id);

        Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Title == $"Dave Manager asks about {ticket.Key}" && m.Text.Contains("and until when?", StringComparison.Ordinal));
        Assert.Equal(before.Tickets, await app.CountTicketsAsync());
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
    }

    [Theory]
    [InlineData("approved - ok for the design review", "approved", "ok for the design review")] // was passed to Erin as a question
    [InlineData("Approve", "approved", null)]
    [InlineData("denied: no budget this quarter", "denied", "no budget this quarter")]
    [InlineData("/it approve ok for the design review", "approved", "ok for the design review")] // was "Name the ticket."
    [InlineData("/it deny", "denied", null)]
    public async Task A_decision_typed_under_the_approval_card_by_the_approver_decides_it(string typed, string decision, string? reason)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("I need access to Figma for 3 days");
        var card = Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Approval needed: {ticket.Key}");

        await app.SendAsync("dave", typed, "dm-dave", card.Id);

        var decided = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.ApprovalDecided);
        Assert.Equal(("dave", decision, reason), (decided.Actor, decided.Get(EventData.Decision), decided.Get(EventData.Reason)));
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Title.Contains("asks about", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("approved yet?")]
    [InlineData("approved")]
    public async Task A_decision_word_from_the_requester_in_their_thread_decides_nothing_and_is_passed_on(string typed)
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");

        var replies = await app.SendAsync("erin", typed, "dm-erin", thread);

        Assert.DoesNotContain(await app.EventsAsync(ticket.Key), e => e.Type == EventType.ApprovalDecided);
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
        Assert.DoesNotContain(replies, m => m.Text.Contains("may not", StringComparison.OrdinalIgnoreCase)); // no refusal
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.Title.StartsWith($"Erin Employee wrote on {ticket.Key}", StringComparison.Ordinal) && m.Text.Contains(typed, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approved_from_someone_who_may_not_decide_it_in_its_thread_decides_nothing()
    {
        // Alice works the IT queue but is no approver of Erin's request: in the queue thread, "approved" stays her words.
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");

        await app.SendAsync("alice", "approved", "queue-it", ItChatBot.Core.Queues.QueueIds.WebThread(ticket.Key, "IT"));

        Assert.DoesNotContain(await app.EventsAsync(ticket.Key), e => e.Type == EventType.ApprovalDecided);
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
    }

    [Fact]
    public async Task A_thread_id_naming_a_card_in_another_persons_conversation_is_no_thread_of_its_ticket()
    {
        // The card's id reaches the ticket only from the conversation the card is in: frank, naming Dave's card as the
        // thread of his own conversation, writes a request of his own, and Erin hears nothing.
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("I need access to Figma for 3 days");
        var card = Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Approval needed: {ticket.Key}");
        var tickets = await app.CountTicketsAsync();

        await app.SendAsync("frank", "my monitor flickers all the time", "dm-frank", card.Id);

        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Title.Contains("asks about", StringComparison.Ordinal));
        Assert.Equal(tickets + 1, await app.CountTicketsAsync());
    }

    [Fact]
    public async Task Someone_who_may_not_decide_it_naming_the_ticket_is_not_passed_to_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("I need access to Figma for 3 days");
        var tickets = await app.CountTicketsAsync();

        await app.SendAsync("frank", $"{ticket.Key}: which project is Figma for?");

        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Title.Contains("asks about", StringComparison.Ordinal));
        Assert.Equal(tickets + 1, await app.CountTicketsAsync()); // frank's words are a request of his own, as before
    }

    [Fact]
    public async Task The_requesters_answer_reaches_the_approver_and_the_queue_and_thanks_alone_reach_neither()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");
        await app.SendAsync("dave", $"{ticket.Key}: which project is Figma for?");

        var replies = await app.SendAsync("erin", "the checkout redesign, until Friday", "dm-erin", thread);

        var answer = Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Erin Employee wrote on {ticket.Key}");
        Assert.Null(answer.Thread);
        Assert.StartsWith($"Erin Employee wrote on {ticket.Key}\nthe checkout redesign, until Friday\n{ticket.Key} waits for your decision", answer.Text, StringComparison.Ordinal);
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains("the checkout redesign, until Friday", StringComparison.Ordinal));
        Assert.Contains(replies, m => m.Thread == thread && m.Text.Contains("The IT team and Dave Manager have your message.", StringComparison.Ordinal));

        await app.SendAsync("erin", "thanks!", "dm-erin", thread);
        Assert.Single(await app.ConversationAsync("dm-dave", "dave"), m => m.Title == $"Erin Employee wrote on {ticket.Key}");
    }

    [Fact]
    public async Task Once_the_approval_is_decided_the_approver_naming_the_ticket_is_not_a_question_for_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("I need access to Figma for 3 days");
        await app.SendAsync("dave", $"/it approve {ticket.Key}");
        Assert.NotEqual(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);

        await app.SendAsync("dave", $"{ticket.Key}: which project was Figma for?");

        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Title.Contains("asks about", StringComparison.Ordinal));
    }
}
