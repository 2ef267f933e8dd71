using System.Collections.Concurrent;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Sla;

/// <summary>The SLA policy of each configured team, built once per team (calendars cache their days).</summary>
public sealed class SlaPolicies(SupportTeams teams)
{
    private static readonly SlaPolicy None = new(BusinessCalendar.Always, new Dictionary<string, SlaTarget>());

    private readonly ConcurrentDictionary<string, SlaPolicy> _byTeam = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The team's policy; a team that is not configured has no targets (its tickets carry no SLA).</summary>
    public SlaPolicy For(string? team) =>
        team is null ? None : _byTeam.GetOrAdd(team, name => teams.Find(name) is { } t ? SlaPolicy.For(t) : None);

    /// <summary>A ticket's clocks at an instant, under the policy of the team it was created in.</summary>
    public SlaClock Evaluate(IReadOnlyList<TicketEvent> events, DateTimeOffset asOf)
    {
        var team = events.FirstOrDefault(e => e.Type == EventType.Created)?.Get(EventData.Team);
        return For(team).Evaluate(events, asOf);
    }
}
