using ItChatBot.Core.Tickets;

namespace ItChatBot.Testing;

/// <summary>Terse builders for hand-written histories: <c>Events.Of("IT-1").Created(t0, "P2").Resolved(t1)</c>.</summary>
public sealed class Events(string ticket)
{
    private readonly List<TicketEvent> _events = [];

    public static Events Of(string ticket) => new(ticket);

    public IReadOnlyList<TicketEvent> List => _events;

    public Events Add(EventType type, DateTimeOffset at, string actor, ActorKind kind, params (string Key, string Value)[] data)
    {
        _events.Add(TicketEvent.New(ticket, type, at, actor, kind, data.ToDictionary(d => d.Key, d => d.Value)));
        return this;
    }

    public Events Created(DateTimeOffset at, string priority = "P3", string team = "IT", string category = "general", string requester = "U1") =>
        Add(EventType.Created, at, requester, ActorKind.Requester,
            (EventData.Team, team), (EventData.Category, category), (EventData.Priority, priority), (EventData.Requester, requester), (EventData.Subject, "help"));

    public Events WorkflowStarted(DateTimeOffset at) => Add(EventType.WorkflowStarted, at, "automation", ActorKind.Automation, (EventData.Run, $"r-{ticket}"));

    public Events WorkflowCompleted(DateTimeOffset at) => Add(EventType.WorkflowCompleted, at, "automation", ActorKind.Automation, (EventData.Run, $"r-{ticket}"));

    public Events WorkflowFailed(DateTimeOffset at) => Add(EventType.WorkflowFailed, at, "automation", ActorKind.Automation, (EventData.Run, $"r-{ticket}"));

    public Events Assigned(DateTimeOffset at, string agent) => Add(EventType.Assigned, at, agent, ActorKind.Agent, (EventData.Assignee, agent));

    public Events Responded(DateTimeOffset at, string actor, ActorKind kind) => Add(EventType.Responded, at, actor, kind);

    public Events Approved(DateTimeOffset at, string approver) => Add(EventType.ApprovalDecided, at, approver, ActorKind.Approver, (EventData.Decision, "approved"));

    public Events Escalated(DateTimeOffset at, string actor, ActorKind kind, string toTier = "L2") => Add(EventType.Escalated, at, actor, kind, (EventData.ToTier, toTier));

    public Events Overridden(DateTimeOffset at, string agent) => Add(EventType.Overridden, at, agent, ActorKind.Agent, (EventData.Reason, "manual"));

    public Events Status(DateTimeOffset at, TicketStatus status, string actor = "A1", ActorKind kind = ActorKind.Agent) =>
        Add(EventType.StatusChanged, at, actor, kind, (EventData.Status, status.ToString()));

    public Events Resolved(DateTimeOffset at, string actor = "automation", ActorKind kind = ActorKind.Automation) => Add(EventType.Resolved, at, actor, kind);

    public Events Reopened(DateTimeOffset at, string actor = "U1") => Add(EventType.Reopened, at, actor, ActorKind.Requester);

    public Events Survey(DateTimeOffset at, int score, string requester = "U1") =>
        Add(EventType.SurveyAnswered, at, requester, ActorKind.Requester, (EventData.Score, score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
