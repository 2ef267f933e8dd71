using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Host.Kpi;

/// <summary>Who may see what in chat (DESIGN §2): leads and admins see team KPIs; the technician view is for leads and the technician themself.</summary>
public static class KpiAccess
{
    public static void RequireLead(Person person)
    {
        if (!person.HasRole(Roles.Lead) && !person.HasRole(Roles.Admin))
        {
            throw new Core.Tickets.DomainException("Team KPIs are for team leads and admins; ask your lead for the figures.");
        }
    }

    /// <summary>The reason <paramref name="person"/> may not see <paramref name="technician"/>'s view, or null.</summary>
    public static string? WhyNotTechView(Person person, Person? technician, string technicianId)
    {
        if (string.Equals(person.Id, technicianId, StringComparison.OrdinalIgnoreCase) || person.HasRole(Roles.Admin))
        {
            return null;
        }

        if (technician is not null && person.HasRole(Roles.Lead) && technician.Teams.Any(person.IsLeadOf))
        {
            return null;
        }

        return technician is null
            ? $"There is nobody called '{technicianId}' in the directory."
            : $"Only {technician.DisplayName}'s team leads and {technician.DisplayName} may see this technician view.";
    }
}
