namespace ItChatBot.Core.Tickets;

public enum ActorKind
{
    Requester,
    Agent,
    Approver,
    Automation,
    System,
}
