using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// An agent who answers, waits on or resolves a ticket nobody has takes it. Before, the ticket stayed unassigned while
/// they worked on it: the queue showed it as nobody's, and the technician view (the tickets a technician is assigned)
/// left their work out.
/// </summary>
public sealed class FirstResponderTests
{
    private static IEnumerable<EventType> After(IReadOnlyList<TicketEvent> events, int count) => events.Skip(count).Select(e => e.Type);

    [Fact]
    public async Task A_reply_in_the_queue_thread_makes_the_ticket_the_agents_and_in_progress()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop keeps shutting down randomly");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var answer = await app.SendAsync("alice", "can you bring it to the desk on floor 2 at 3pm?", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        var now = await app.TicketAsync(ticket.Key);
        Assert.Equal(("alice", TicketStatus.InProgress), (now.Assignee, now.Status));
        Assert.Equal([EventType.Assigned, EventType.StatusChanged, EventType.Responded], After(await app.EventsAsync(ticket.Key), before));
        Assert.Contains(answer, m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web") && m.Text.Contains("Assignee: Alice Agent", StringComparison.Ordinal));
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("can you bring it to the desk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_to_a_ticket_another_agent_has_leaves_it_theirs()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop keeps shutting down randomly");
        await app.SendAsync("bob", $"/it claim {ticket.Key}");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        await app.SendAsync("alice", "bob is on it, he will come by", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        Assert.Equal("bob", (await app.TicketAsync(ticket.Key)).Assignee);
        Assert.Equal([EventType.Responded], After(await app.EventsAsync(ticket.Key), before));
    }

    [Fact]
    public async Task Resolving_a_ticket_nobody_has_makes_it_the_resolvers()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("the docking station is dead");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        await app.SendAsync("alice", $"/it resolve {ticket.Key} new dock");

        var events = await app.EventsAsync(ticket.Key);
        Assert.Equal([EventType.Assigned, EventType.Resolved], After(events, before));
        Assert.Equal("alice", events[^2].Get(EventData.Assignee));
        Assert.Equal(("alice", TicketStatus.Resolved), ((await app.TicketAsync(ticket.Key)).Assignee, (await app.TicketAsync(ticket.Key)).Status));
    }

    [Fact]
    public async Task Waiting_on_the_requester_of_a_ticket_nobody_has_makes_it_the_agents()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my monitor flickers");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        await app.SendAsync("alice", $"/it wait {ticket.Key} which monitor model is it?");

        var now = await app.TicketAsync(ticket.Key);
        Assert.Equal(("alice", TicketStatus.WaitingOnRequester), (now.Assignee, now.Status));
        Assert.Equal([EventType.Assigned, EventType.Responded, EventType.StatusChanged], After(await app.EventsAsync(ticket.Key), before));
    }
}
