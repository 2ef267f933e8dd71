using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Storage;

/// <summary>Ticket projections (rebuildable from the log), key counters and the thread-to-ticket links.</summary>
public interface ITicketStore
{
    Task<Ticket?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Ticket>> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every open ticket's key, creation time and last event number, oldest first: what a pass over all open tickets
    /// needs to tell which ones changed, without holding every ticket in memory at once.
    /// </summary>
    Task<IReadOnlyList<TicketVersion>> OpenVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>The next free number for a key prefix; never hands out the same number twice.</summary>
    Task<int> NextNumberAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remember that a thread (a queue post, a message sent for the ticket) belongs to a ticket. The thread a ticket
    /// was requested in (the <see cref="EventType.Created"/> event's channel, conversation and thread) is linked
    /// by the log itself when it stores the creation.
    /// </summary>
    Task LinkThreadAsync(ConversationRef thread, string ticketKey, CancellationToken cancellationToken = default);

    Task<string?> FindTicketByThreadAsync(ConversationRef thread, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ticket a delivery opened, when it had no message of its own to link (<see cref="OpenTicket.Delivery"/>, linked by
    /// the log as it stores the creation); null when it opened none.
    /// </summary>
    Task<string?> FindTicketByDeliveryAsync(string platformId, CancellationToken cancellationToken = default);

    /// <summary>Drops every projection and replays the whole log into it.</summary>
    Task RebuildAsync(CancellationToken cancellationToken = default);
}

public sealed record TicketQuery
{
    public string? Team { get; init; }
    public string? Assignee { get; init; }
    public string? Requester { get; init; }
    public bool OpenOnly { get; init; }

    /// <summary>Only tickets no longer open (resolved or closed) whose resolution is at or after this instant.</summary>
    public DateTimeOffset? ResolvedSince { get; init; }
    public TicketStatus? Status { get; init; }
    public int Limit { get; init; } = 50;
}

/// <summary>An open ticket's key, its creation time and the sequence number of its last event.</summary>
public readonly record struct TicketVersion(string Key, DateTimeOffset CreatedAt, long LastSeq);
