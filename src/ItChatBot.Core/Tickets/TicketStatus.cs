namespace ItChatBot.Core.Tickets;

public enum TicketStatus
{
    New,
    Open,
    InProgress,
    WaitingOnRequester,
    PendingApproval,
    Resolved,
    Closed,
}
