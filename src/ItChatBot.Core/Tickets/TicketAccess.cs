using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Tickets;

public static class TicketAccess
{
    public static bool CanView(Person person, Ticket ticket) =>
        person.Id == ticket.Requester
        || person.IsAgentOf(ticket.Team)
        || person.IsLeadOf(ticket.Team)
        || person.HasRole(Roles.Admin);

    public static void EnsureCanView(Person person, Ticket ticket)
    {
        if (!CanView(person, ticket))
        {
            throw new DomainException($"{ticket.Key} is not yours to see: only its requester and the {ticket.Team} team can.");
        }
    }
}
