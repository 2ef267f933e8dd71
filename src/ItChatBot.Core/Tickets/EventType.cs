namespace ItChatBot.Core.Tickets;

/// <summary>Every ticket event of DESIGN §2, plus <see cref="Deflected"/>, which belongs to no ticket.</summary>
public enum EventType
{
    Created,
    Responded,
    Assigned,
    StatusChanged,
    Escalated,
    WorkflowStarted,
    WorkflowStepCompleted,
    WorkflowFailed,
    WorkflowCompleted,
    ApprovalRequested,
    ApprovalDecided,
    ApprovalExpired,
    Overridden,
    AccessGranted,
    AccessRevoked,
    Resolved,
    Reopened,
    Closed,
    SurveySent,
    SurveyAnswered,
    Deflected,
    /// <summary>An agent changed the priority; the SLA follows the new priority from this instant.</summary>
    PriorityChanged,
    /// <summary>A workflow step began an attempt (data: run, step, attempt). Durable runs record start, result and error.</summary>
    WorkflowStepStarted,
    /// <summary>A workflow step's attempt failed (data: run, step, attempt, error); the run retries or fails.</summary>
    WorkflowStepFailed,
    /// <summary>
    /// An agent's internal note (data: note): kept among the ticket's team, never sent to the requester. It is not a
    /// response, changes no status or clock, and is not agent work in the sense of DESIGN §3.
    /// </summary>
    NoteAdded,
    /// <summary>
    /// An agent put the ticket in another category of its team (data: category, fromCategory): triage guessed wrong. Every
    /// KPI segmented by category, and the follow-up rule of FCR, use the category it has now.
    /// </summary>
    CategoryChanged,
    /// <summary>
    /// On a ticket that another one was resolved as a duplicate of (data: duplicate, the other ticket's key): when this one
    /// is resolved, that one's requester is told. The duplicate's own <c>Resolved</c> carries <c>duplicateOf</c>.
    /// </summary>
    DuplicateLinked,
}
