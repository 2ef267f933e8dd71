namespace ItChatBot.Core.Tickets;

public enum Outcome
{
    AiResolved,
    AiAssisted,
    Unassisted,
}
