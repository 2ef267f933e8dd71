using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>Queue work is for the agents of the ticket's team; everyone else gets a refusal that says why.</summary>
public static class AgentGuard
{
    public static void EnsureAgentOf(Person person, Ticket ticket, string what)
    {
        if (!person.IsAgentOf(ticket.Team))
        {
            throw new DomainException(
                $"Only agents of the {ticket.Team} team can {what} {ticket.Key}; you are not one of them.");
        }
    }

    public static void EnsureAgent(Person person, string what)
    {
        if (!person.HasRole(Roles.Agent) || person.Teams.Count == 0)
        {
            throw new DomainException($"Only support agents can {what}; you are not an agent of any team.");
        }
    }
}
