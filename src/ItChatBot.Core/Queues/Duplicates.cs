using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Several requests about one problem ("the wifi is down", five times during an outage): an agent resolves each extra one
/// as a duplicate of the ticket being worked on (<c>/it duplicate KEY of OTHER</c>), and their requesters are told when
/// that ticket is resolved, as Jira Service Management's linked issues and Freshservice's merged tickets do.
/// </summary>
public static class Duplicates
{
    /// <summary>The keys of the tickets resolved as duplicates of the one whose <paramref name="events"/> these are, in link order.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<TicketEvent> events) =>
        [.. events.Where(e => e.Type == EventType.DuplicateLinked).Select(e => e.Get(QueueEventData.Duplicate)).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The ticket <paramref name="events"/>' ticket was resolved as a duplicate of, while that is still its latest
    /// resolution (a duplicate reopened since is a request of its own again).
    /// </summary>
    public static string? DuplicateOf(Ticket ticket, IReadOnlyList<TicketEvent> events) =>
        ticket.Status == TicketStatus.Resolved && events.LastOrDefault(e => e.Type == EventType.Resolved) is { } resolved
            ? resolved.Get(QueueEventData.DuplicateOf)
            : null;
}
