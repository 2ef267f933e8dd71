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
                case EventType.Overridden:
                    agentActed = true;
                    break;
                case EventType.Assigned when e.Get(EventData.Assignee) is { Length: > 0 } assignee && assignee != "automation":
                    agentActed = true;
                    break;
            }

            // Approvals are a manager's decision, not agent work; any other act by an agent is.
            if (e.ActorKind == ActorKind.Agent)
            {
                agentActed = true;
            }
        }

        if (!workflowStarted)
        {
            return Outcome.Unassisted;
        }

        var resolvedByAutomation = events[final].ActorKind == ActorKind.Automation;
        return workflowCompleted && resolvedByAutomation && !agentActed ? Outcome.AiResolved : Outcome.AiAssisted;
    }

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
