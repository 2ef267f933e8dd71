using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;

namespace ItChatBot.Queues.Tests;

/// <summary>The card a requester got when their request was opened follows the ticket: it is replaced in place as the ticket moves.</summary>
public sealed class RequesterCardTests
{
    [Fact]
    public async Task The_requesters_card_shows_who_has_the_ticket_and_then_that_it_is_resolved_with_nothing_left_to_withdraw()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my monitor flickers all day");
        var receipt = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Id == RequesterCard.ReceiptId(ticket.Key));
        Assert.Equal(thread, receipt.Thread);
        Assert.Contains("Status: New", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("ticket.withdraw", receipt.Html, StringComparison.Ordinal);

        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        var claimed = Latest(await app.ConversationAsync("dm-erin", "erin"), receipt.Id);
        Assert.Equal(thread, claimed.Thread);
        Assert.Contains("Status: In progress", claimed.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Alice Agent", claimed.Text, StringComparison.Ordinal);
        Assert.Contains("your request is logged with the IT team", claimed.Text, StringComparison.Ordinal);

        await app.SendAsync("alice", $"/it resolve {ticket.Key} replaced the cable");

        var resolved = Latest(await app.ConversationAsync("dm-erin", "erin"), receipt.Id);
        Assert.Contains("Status: Resolved", resolved.Text, StringComparison.Ordinal);
        Assert.Contains("· resolved ", resolved.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ticket.withdraw", resolved.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_an_escalation_to_another_team_the_card_says_which_team_has_it()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my monitor flickers all day");
        var receipt = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Id == RequesterCard.ReceiptId(ticket.Key));

        await app.SendAsync("alice", $"/it escalate {ticket.Key} Security");

        // Before: "your request is logged with the IT team" above "Team: Security".
        var moved = Latest(await app.ConversationAsync("dm-erin", "erin"), receipt.Id);
        Assert.Contains("Your request is with the Security team now.", moved.Text, StringComparison.Ordinal);
        Assert.Contains("Team: Security", moved.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("logged with the IT team", moved.Text, StringComparison.Ordinal);

        await app.SendAsync("sam", $"/it escalate {ticket.Key} IT");

        var back = Latest(await app.ConversationAsync("dm-erin", "erin"), receipt.Id);
        Assert.Contains("your request is logged with the IT team", back.Text, StringComparison.Ordinal);
        Assert.Contains("Team: IT", back.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_the_card_does_not_show_leaves_it_alone()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my monitor flickers all day");
        await app.SendAsync("alice", $"/it claim {ticket.Key}");
        var before = Updates(await app.ConversationAsync("dm-erin", "erin"), ticket.Key);

        // A note among agents, and a claim by the agent who has it already: the card would show the same.
        await app.SendAsync("alice", "note: checked the cable, it is fine", "queue-it", Core.Queues.QueueIds.WebThread(ticket.Key, "IT"));
        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        Assert.Equal(before, Updates(await app.ConversationAsync("dm-erin", "erin"), ticket.Key));
        Assert.Equal(1, before);
    }

    [Fact]
    public async Task A_ticket_with_no_receipt_on_record_changes_as_before_and_nothing_is_sent_to_update()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my monitor flickers all day");
        // A ticket opened before receipts had their id: its card is not known, so nothing can replace it.
        var imported = await app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "hardware", "P3", "erin", "keyboard missing keys", new Core.Conversations.ConversationRef("web", "dm-erin", "web:old")));

        await app.SendAsync("alice", $"/it claim {imported.Key}");

        Assert.Equal(("alice", TicketStatus.InProgress), ((await app.TicketAsync(imported.Key)).Assignee, (await app.TicketAsync(imported.Key)).Status));
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Ticket == imported.Key && m.UpdateOf is not null);
        Assert.Equal(0, Updates(await app.ConversationAsync("dm-erin", "erin"), ticket.Key));
    }

    [Fact]
    public async Task Withdrawing_a_request_that_is_resolved_already_says_so_and_changes_nothing()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my monitor flickers all day");
        await app.SendAsync("alice", $"/it resolve {ticket.Key} replaced the cable");
        var events = (await app.EventsAsync(ticket.Key)).Count;

        // A card sent before the ticket was resolved still has the button (an old client, or a click before the update).
        var reply = Assert.Single(await app.ActAsync("erin", "ticket.withdraw", ticket.Key, conversation: "dm-erin", thread: thread));

        Assert.True(reply.Ephemeral);
        Assert.Contains($"{ticket.Key} is resolved already, so there is nothing to withdraw", reply.Text, StringComparison.Ordinal);
        Assert.Equal(events, (await app.EventsAsync(ticket.Key)).Count);
    }

    private static ChatMessage Latest(IReadOnlyList<ChatMessage> messages, string receiptId) =>
        messages.Last(m => m.Id == receiptId || m.UpdateOf == receiptId);

    private static int Updates(IReadOnlyList<ChatMessage> messages, string key) =>
        messages.Count(m => m.UpdateOf == RequesterCard.ReceiptId(key));
}
