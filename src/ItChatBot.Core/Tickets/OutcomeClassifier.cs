namespace ItChatBot.Core.Tickets;

/// <summary>
/// DESIGN §3: the outcome of a resolved ticket, derived from its events up to its final resolution.
/// </summary>
public static class OutcomeClassifier
{
    /// <summary>
    /// The outcome, or null while the ticket has no final resolution (never resolved, or reopened since).
    /// A workflow that started without meeting every AI-resolved condition makes the ticket AI-assisted:
    /// the definitions name no fourth class, so a run that failed or stopped short still counts as assistance.
    /// </summary>
    public static Outcome? Classify(IReadOnlyList<TicketEvent> events)
    {
        var final = FinalResolutionIndex(events);
        if (final < 0)
        {
            return null;
        }

        var workflowStarted = false;
        var workflowCompleted = false;
        var agentActed = false;
        for (var i = 0; i <= final; i++)
        {
            var e = events[i];
            switch (e.Type)
            {
                case EventType.WorkflowStarted:
                    workflowStarted = true;
                    break;
                case EventType.WorkflowCompleted:
                    workflowCompleted = true;
                    break;
                default:
                    agentActed |= IsAgentAct(e);
                    break;
            }
        }

        if (!workflowStarted)
        {
            return Outcome.Unassisted;
        }

        var resolvedByAutomation = events[final].ActorKind == ActorKind.Automation;
        return workflowCompleted && resolvedByAutomation && !agentActed ? Outcome.AiResolved : Outcome.AiAssisted;
    }

    /// <summary>
    /// DESIGN §3's list of agent acts, and nothing else: an <c>Assigned</c> to an agent, an agent's <c>Responded</c>,
    /// an <c>Overridden</c>, an agent's <c>Resolved</c>. Other events an agent writes (a status change, a note, an
    /// approval imported with actor kind agent) do not make a ticket the automation resolved AI-assisted.
    /// </summary>
    public static bool IsAgentAct(TicketEvent e) => e.Type switch
    {
        EventType.Assigned => e.Get(EventData.Assignee) is { Length: > 0 } assignee && assignee != "automation",
        EventType.Responded or EventType.Resolved => e.ActorKind == ActorKind.Agent,
        EventType.Overridden => true,
        _ => false,
    };

    /// <summary>Index of the <see cref="EventType.Resolved"/> not followed by a <see cref="EventType.Reopened"/>, or -1.</summary>
    public static int FinalResolutionIndex(IReadOnlyList<TicketEvent> events)
    {
        var final = -1;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Type == EventType.Resolved)
            {
                final = i;
            }
            else if (events[i].Type == EventType.Reopened)
            {
                final = -1;
            }
        }

        return final;
    }
}
