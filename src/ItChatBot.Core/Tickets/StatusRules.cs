namespace ItChatBot.Core.Tickets;

/// <summary>
/// Which status may follow which. Resolution, reopening and closing have events of their own
/// (<see cref="EventType.Resolved"/>, <see cref="EventType.Reopened"/>, <see cref="EventType.Closed"/>);
/// <see cref="EventType.StatusChanged"/> moves a ticket between the working states only.
/// </summary>
public static class StatusRules
{
    private static readonly TicketStatus[] Working =
        [TicketStatus.New, TicketStatus.Open, TicketStatus.InProgress, TicketStatus.WaitingOnRequester, TicketStatus.PendingApproval];

    public static bool IsOpen(TicketStatus status) => status is not (TicketStatus.Resolved or TicketStatus.Closed);

    /// <summary>Whether a <see cref="EventType.StatusChanged"/> may move the ticket from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanChange(TicketStatus from, TicketStatus to) =>
        from != to && Working.Contains(from) && to is not (TicketStatus.New or TicketStatus.Resolved or TicketStatus.Closed);

    public static bool CanResolve(TicketStatus from) => IsOpen(from);

    public static bool CanReopen(TicketStatus from) => from == TicketStatus.Resolved;

    public static bool CanClose(TicketStatus from) => from == TicketStatus.Resolved;

    public static DomainException Illegal(string key, TicketStatus from, string to) =>
        new($"{key} is {from}; it cannot go to {to}.");
}
