using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// In a ticket's queue thread an agent's verb may leave the key out ("/it claim", "/it resolve replaced the cable"), as a
/// web chat agent types it there. Before, each was refused ("Which ticket?", "'replaced' is not a ticket key").
/// </summary>
public sealed class ThreadKeyTests
{
    [Fact]
    public async Task In_a_tickets_queue_thread_claim_escalate_and_resolve_act_on_that_ticket()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var thread = QueueIds.WebThread(ticket.Key, "IT");

        await app.SendAsync("alice", "/it claim", "queue-it", thread);
        Assert.Equal("alice", (await app.TicketAsync(ticket.Key)).Assignee);

        await app.SendAsync("alice", "/it escalate L2", "queue-it", thread);
        Assert.Equal("L2", (await app.TicketAsync(ticket.Key)).Tier);

        await app.SendAsync("carol", "/it resolve replaced the cable", "queue-it", thread);
        var resolved = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Resolved);
        Assert.Equal(("carol", "replaced the cable"), (resolved.Actor, resolved.Get(EventData.Note)));
    }

    [Fact]
    public async Task A_key_given_in_the_thread_still_names_the_ticket_and_outside_a_thread_the_key_is_required()
    {
        using var app = new QueueApp();
        var (first, _) = await app.OpenAsync("my laptop screen is flickering");
        var (second, _) = await app.OpenAsync("my keyboard is missing a key", "frank");

        await app.SendAsync("alice", $"/it claim {second.Key}", "queue-it", QueueIds.WebThread(first.Key, "IT"));
        Assert.Equal(("alice", null), ((await app.TicketAsync(second.Key)).Assignee, (await app.TicketAsync(first.Key)).Assignee));

        var outside = Assert.Single(await app.SendAsync("alice", "/it resolve replaced the cable", "queue-it"));
        Assert.Contains("'replaced' is not a ticket key.", outside.Text, StringComparison.Ordinal);
        var noKey = Assert.Single(await app.SendAsync("alice", "/it claim"));
        Assert.Contains("Which ticket?", noKey.Text, StringComparison.Ordinal);
        Assert.True((await app.TicketAsync(first.Key)).IsOpen);

        // In the thread, words after an inferred key are checked as after a typed one.
        var extra = Assert.Single(await app.SendAsync("alice", "/it claim now please", "queue-it", QueueIds.WebThread(first.Key, "IT")));
        Assert.Contains($"'now please' was not expected after {first.Key}.", extra.Text, StringComparison.Ordinal);
        Assert.Null((await app.TicketAsync(first.Key)).Assignee);
    }
}
