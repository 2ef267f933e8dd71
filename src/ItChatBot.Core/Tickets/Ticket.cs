namespace ItChatBot.Core.Tickets;

/// <summary>
/// The current state of a ticket: a projection of its events. <see cref="Record"/> is the only way the
/// domain changes a ticket: it checks the event against the rules, then applies it. <see cref="Apply"/>
/// alone replays the log, which is the source of truth, and so never refuses.
/// </summary>
public sealed class Ticket
{
    public string Key { get; set; } = "";
    public string Team { get; set; } = "";
    public string Category { get; set; } = "";
    public string Priority { get; set; } = "P3";
    public string Requester { get; set; } = "";
    public string Channel { get; set; } = "";
    public string? Conversation { get; set; }
    public string? Thread { get; set; }
    public string Subject { get; set; } = "";
    public string? Assignee { get; set; }
    public string Tier { get; set; } = "L1";
    public TicketStatus Status { get; set; } = TicketStatus.New;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public int ReopenCount { get; set; }
    public int EscalationCount { get; set; }
    public int EventCount { get; set; }
    public long LastSeq { get; set; }

    public bool IsOpen => StatusRules.IsOpen(Status);

    /// <summary>The reason <paramref name="e"/> may not happen to this ticket now, or null if it may.</summary>
    public string? Check(TicketEvent e)
    {
        if (e.Type == EventType.Created)
        {
            return EventCount > 0 ? $"{Key} already exists." : CheckCreated(e);
        }

        if (EventCount == 0)
        {
            return $"{e.Ticket} has no Created event before this {e.Type}.";
        }

        return e.Type switch
        {
            EventType.StatusChanged => CheckStatusChange(e),
            EventType.Resolved when !StatusRules.CanResolve(Status) => StatusRules.Illegal(Key, Status, "Resolved").Message,
            EventType.Reopened when !StatusRules.CanReopen(Status) => StatusRules.Illegal(Key, Status, "Open (reopen)").Message,
            EventType.Closed when !StatusRules.CanClose(Status) => StatusRules.Illegal(Key, Status, "Closed").Message,
            EventType.SurveyAnswered when e.GetInt(EventData.Score) is not (>= 1 and <= 5) => "A survey answer needs a score from 1 to 5.",
            EventType.PriorityChanged when !Tickets.Priority.IsValid(e.Get(EventData.Priority)) => $"'{e.Get(EventData.Priority)}' is not a priority; use P1, P2, P3 or P4.",
            EventType.Assigned when string.IsNullOrEmpty(e.Get(EventData.Assignee)) => "An assignment needs an assignee.",
            EventType.CategoryChanged when string.IsNullOrWhiteSpace(e.Get(EventData.Category)) => "A category change needs a category.",
            EventType.DuplicateLinked when string.IsNullOrWhiteSpace(e.Get(Queues.QueueEventData.Duplicate)) => "A duplicate link needs the duplicate's key.",
            _ => null,
        };
    }

    private static string? CheckCreated(TicketEvent e)
    {
        if (string.IsNullOrWhiteSpace(e.Get(EventData.Team)))
        {
            return "Created needs a team.";
        }

        return e.Get(EventData.Priority) is { } p && !Tickets.Priority.IsValid(p)
            ? $"'{p}' is not a priority; use P1, P2, P3 or P4."
            : null;
    }

    private string? CheckStatusChange(TicketEvent e)
    {
        if (!Enum.TryParse<TicketStatus>(e.Get(EventData.Status), ignoreCase: false, out var to))
        {
            return $"'{e.Get(EventData.Status)}' is not a status; use one of {string.Join(", ", Enum.GetNames<TicketStatus>())}.";
        }

        return StatusRules.CanChange(Status, to) ? null : StatusRules.Illegal(Key, Status, to.ToString()).Message;
    }

    /// <summary>Checks <paramref name="e"/> and applies it, or throws a <see cref="DomainException"/> naming what was wrong.</summary>
    public TicketEvent Record(TicketEvent e)
    {
        if (Check(e) is { } problem)
        {
            throw new DomainException(problem);
        }

        Apply(e);
        return e;
    }

    public void Apply(TicketEvent e)
    {
        EventCount++;
        LastSeq = Math.Max(LastSeq, e.Seq);
        UpdatedAt = e.At;
        switch (e.Type)
        {
            case EventType.Created:
                Key = e.Ticket ?? Key;
                Team = e.Get(EventData.Team) ?? Team;
                Category = e.Get(EventData.Category) ?? "general";
                Priority = e.Get(EventData.Priority) ?? "P3";
                Requester = e.Get(EventData.Requester) ?? e.Actor;
                Channel = e.Get(EventData.Channel) ?? "";
                Conversation = e.Get(EventData.Conversation);
                Thread = e.Get(EventData.Thread);
                Subject = e.Get(EventData.Subject) ?? "";
                CreatedAt = e.At;
                Status = TicketStatus.New;
                break;
            case EventType.Responded when FirstResponseAt is null:
                FirstResponseAt = e.At;
                break;
            case EventType.Assigned:
                Assignee = e.Get(EventData.Assignee);
                break;
            case EventType.StatusChanged when Enum.TryParse<TicketStatus>(e.Get(EventData.Status), out var status):
                Status = status;
                break;
            case EventType.Escalated:
                EscalationCount++;
                Tier = e.Get(EventData.ToTier) ?? Tier;
                Team = e.Get(EventData.ToTeam) ?? Team;
                Assignee = e.Get(EventData.Assignee);
                break;
            case EventType.PriorityChanged:
                Priority = e.Get(EventData.Priority) ?? Priority;
                break;
            case EventType.CategoryChanged:
                Category = e.Get(EventData.Category) ?? Category;
                break;
            case EventType.Resolved:
                Status = TicketStatus.Resolved;
                ResolvedAt = e.At;
                break;
            case EventType.Reopened:
                Status = TicketStatus.Open;
                ResolvedAt = null;
                ReopenCount++;
                break;
            case EventType.Closed:
                Status = TicketStatus.Closed;
                break;
        }
    }

    public static Ticket Replay(IEnumerable<TicketEvent> events)
    {
        var ticket = new Ticket();
        foreach (var e in events)
        {
            ticket.Apply(e);
        }

        return ticket;
    }
}
