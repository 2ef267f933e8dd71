using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Sla;

/// <summary>What an event does to the SLA clocks; everything else leaves them alone.</summary>
public enum SlaStepKind : byte
{
    Created,
    Responded,
    Waiting,
    Working,
    Resolved,
    Reopened,
    Closed,
    PriorityChanged,
}

/// <summary>
/// One SLA-relevant moment of a ticket, kept small so a million tickets' clocks fit in memory
/// (the KPI rollups keep these instead of whole events).
/// </summary>
public readonly record struct SlaStep(DateTimeOffset At, SlaStepKind Kind, string? Priority = null)
{
    /// <summary>The step an event makes, or null when the event does not touch the clocks.</summary>
    public static SlaStep? From(TicketEvent e) => e.Type switch
    {
        EventType.Created => new SlaStep(e.At, SlaStepKind.Created, e.Get(EventData.Priority) ?? "P3"),
        // Only a reply from the support side answers the requester; the requester's own messages do not.
        EventType.Responded when e.ActorKind is ActorKind.Agent or ActorKind.Automation => new SlaStep(e.At, SlaStepKind.Responded),
        EventType.StatusChanged when e.Get(EventData.Status) == nameof(TicketStatus.WaitingOnRequester) => new SlaStep(e.At, SlaStepKind.Waiting),
        EventType.StatusChanged when e.Get(EventData.Status) is nameof(TicketStatus.Open) or nameof(TicketStatus.InProgress)
            or nameof(TicketStatus.PendingApproval) or nameof(TicketStatus.New) => new SlaStep(e.At, SlaStepKind.Working),
        EventType.Resolved => new SlaStep(e.At, SlaStepKind.Resolved),
        EventType.Reopened => new SlaStep(e.At, SlaStepKind.Reopened),
        EventType.Closed => new SlaStep(e.At, SlaStepKind.Closed),
        EventType.PriorityChanged when Tickets.Priority.IsValid(e.Get(EventData.Priority)) => new SlaStep(e.At, SlaStepKind.PriorityChanged, e.Get(EventData.Priority)),
        _ => null,
    };

    /// <summary>
    /// The steps of a ticket's events in time order. The log keeps a ticket's events in the order they were appended,
    /// which an imported history need not keep (a second file may add earlier events); the clocks need time order, as
    /// the KPI rollups sort them. Events at the same instant keep their log order.
    /// </summary>
    public static List<SlaStep> FromEvents(IEnumerable<TicketEvent> events)
    {
        var steps = new List<SlaStep>();
        var sorted = true;
        foreach (var e in events)
        {
            if (From(e) is { } step)
            {
                sorted &= steps.Count == 0 || steps[^1].At <= step.At;
                steps.Add(step);
            }
        }

        return sorted ? steps : [.. steps.OrderBy(s => s.At)];
    }
}
