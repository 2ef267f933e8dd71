using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

public sealed class FailedRunTests
{
    [Fact]
    public async Task A_failed_run_reaches_the_queue_as_one_card_that_says_what_failed()
    {
        using var app = new QueueApp();

        // software-install calls the 'software' endpoint, which this host does not configure: the run fails.
        await app.SendAsync("erin", "please install Docker Desktop on my laptop");

        var ticket = await app.TicketAsync("IT-1");
        var events = await app.EventsAsync(ticket.Key);
        Assert.Contains(events, e => e.Type == EventType.WorkflowFailed);
        Assert.Equal((TicketStatus.Open, null), (ticket.Status, ticket.Assignee));
        var queue = await app.ConversationAsync("queue-it", "alice");
        // The ticket's card is the only post: no separate notice before it.
        var post = Assert.Single(queue, m => m.UpdateOf is null);
        Assert.Equal(QueueIds.PostMessage(ticket.Key, "IT", "web"), post.Id);
        Assert.Contains("*Automation needs a person:* the *software-install* workflow failed at step 1: No endpoint 'software' is configured", post.Text, StringComparison.Ordinal);
        Assert.Contains("Requester: Erin Employee", post.Text, StringComparison.Ordinal);
        Assert.Contains(QueueActions.Claim, post.Html, StringComparison.Ordinal);

        // Once an agent has it, the card still says why it is there, until a run starts again.
        await app.SendAsync("alice", $"/it claim {ticket.Key}");
        var claimed = (await app.ConversationAsync("queue-it", "alice")).Last(m => m.UpdateOf == post.Id);
        Assert.Contains("Automation needs a person", claimed.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Alice Agent", claimed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failed_run_the_requesters_card_says_the_team_has_it()
    {
        using var app = new QueueApp();

        await app.SendAsync("erin", "please install Docker Desktop on my laptop");

        // Before: "Thanks Erin Employee, I'm handling this: Software install." above "Status: Open".
        var receipt = RequesterCard.ReceiptId("IT-1");
        var card = (await app.ConversationAsync("dm-erin", "erin")).Last(m => m.Id == receipt || m.UpdateOf == receipt);
        Assert.Contains("I couldn't finish this automatically, so the IT team has it now.", card.Text, StringComparison.Ordinal);
        Assert.Contains("Status: Open", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("I'm handling this", card.Text, StringComparison.Ordinal);

        // It keeps saying so as people work on it.
        await app.SendAsync("alice", "/it claim IT-1");
        card = (await app.ConversationAsync("dm-erin", "erin")).Last(m => m.UpdateOf == receipt);
        Assert.Contains("I couldn't finish this automatically, so the IT team has it now.", card.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Alice Agent", card.Text, StringComparison.Ordinal);
    }
}
