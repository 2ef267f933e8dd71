using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// What the KPI definitions need to know about one ticket, folded from its events in log order and kept
/// small (ids instead of strings, unix milliseconds instead of instants) so a million tickets scan quickly.
/// Fields derived from several events (outcome, SLA) are recomputed when the ticket changes.
/// </summary>
public sealed class TicketFacts
{
    public const long None = long.MinValue;

    public required int Index { get; init; }
    public required string Key { get; init; }
    public int Team = -1;
    public string CreatedTeam = "";
    public int Category = -1;
    public int Priority = -1;
    public int Channel = -1;
    public int Requester = -1;
    public int Assignee = -1;
    public long Created = None;
    public long FirstResponse = None;
    public long FinalResolved = None;
    public bool EverReopened;
    public int Escalations;
    public Outcome? Outcome;

    /// <summary>Everyone ever assigned (technician view: tickets they were assigned).</summary>
    public List<int>? Assignees;

    /// <summary>Escalations as (made by, received by, when); receiver is -1 when the event named no assignee.</summary>
    public List<(int By, int To, long At)>? EscalationPairs;

    /// <summary>Once reopened: resolve (+) and reopen (-) instants in order, for "open at an instant".</summary>
    public List<long>? Transitions;

    // Outcome fold (DESIGN §3), up to the last resolution.
    internal bool WorkflowStarted;
    internal bool WorkflowCompleted;
    internal bool AgentActed;

    /// <summary>Requester+category group id (FCR follow-ups), -1 before <c>Created</c>.</summary>
    internal int Group = -1;

    /// <summary>
    /// The ticket's SLA-relevant moments, kept to recompute its clocks when new events arrive. Stored compactly
    /// (16 bytes, the priority as an id) rather than as <see cref="SlaStep"/> (32 bytes and a string each): a million
    /// tickets hold about five each.
    /// </summary>
    internal List<SlaMoment> SlaSteps = [];
    internal bool SlaDirty = true;
    public long ResponseDeadline = None;
    public long ResponseCompleted = None;
    public bool ResponseHasTarget;
    public long ResolutionDeadline = None;
    public long ResolutionCompleted = None;
    public bool ResolutionHasTarget;
    public double BusinessHoursToResolve = double.NaN;

    public bool Exists => Created != None;

    public bool IsResolved => FinalResolved != None;

    /// <summary>Open at <paramref name="at"/>: created at or before it and not resolved at it.</summary>
    public bool IsOpenAt(long at)
    {
        if (Created == None || Created > at)
        {
            return false;
        }

        if (Transitions is null)
        {
            return FinalResolved == None || FinalResolved > at;
        }

        // Transitions alternate resolve, reopen, resolve ...; the last one at or before the instant decides.
        var resolved = false;
        foreach (var t in Transitions)
        {
            if (Math.Abs(t) > at)
            {
                break;
            }

            resolved = t > 0;
        }

        return !resolved;
    }

    /// <summary>DESIGN §4 SLA: the instant the ticket counts (min(completion, deadline)) and whether it was met; null while undecided at <paramref name="now"/>.</summary>
    public static (long At, bool Met)? Decide(bool hasTarget, long deadline, long completed, long now)
    {
        if (!hasTarget)
        {
            return null;
        }

        if (completed != None && (deadline == None || completed <= deadline))
        {
            return (completed, true);
        }

        return deadline != None && deadline <= now ? (deadline, false) : null;
    }
}

/// <summary>A compact <see cref="SlaStep"/>: UTC ticks (exact, not rounded to ms), kind, priority id (-1 for none).</summary>
internal readonly record struct SlaMoment(long UtcTicks, SlaStepKind Kind, int Priority);
