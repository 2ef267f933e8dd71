using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// Who may see what in chat (DESIGN §2, §4): leads and admins see team KPIs; per-technician figures (the technician
/// view, <c>tech:@user</c>, <c>by:tech</c>) are for the technician's own team leads, admins, and the technician themself.
/// </summary>
public static class KpiAccess
{
    /// <summary>The metrics an agent may ask about their own tickets with <c>tech:@me</c>: the figures of their technician view.</summary>
    public static readonly IReadOnlyList<string> OwnFigures = ["mttr", "frt", "fcr", "sla", "csat", "escalation", "volume"];

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

    /// <summary>
    /// The reason <paramref name="person"/> may not see a request's per-technician figures, or null. <c>tech:@user</c>
    /// follows the technician view's rule (an agent may also ask about their own tickets, for the figures of their own
    /// view); <c>by:tech</c> lists every technician of a team, so it needs <c>team:</c> naming a team the person leads.
    /// </summary>
    public static string? WhyNotPerTechnician(Person person, KpiRequest request, Person? technician)
    {
        if (request.Tech is { } id)
        {
            if (WhyNotTechView(person, technician, id) is { } refusal)
            {
                return refusal;
            }

            if (!person.HasRole(Roles.Lead) && !person.HasRole(Roles.Admin) && !OwnFigures.Contains(request.Metric))
            {
                return $"For your own tickets you can ask for {string.Join(", ", OwnFigures)}, or see /kpi tech @{person.Id}.";
            }
        }

        if (request.By == "tech" && !person.HasRole(Roles.Admin))
        {
            if (request.Team is null)
            {
                return "Per-technician figures (by:tech) are for a team's leads: add team:NAME for a team you lead.";
            }

            if (!person.IsLeadOf(request.Team))
            {
                return $"Only {request.Team}'s team leads may see its figures per technician.";
            }
        }

        return null;
    }
}
