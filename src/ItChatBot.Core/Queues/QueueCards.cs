using ItChatBot.Core.Cards;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>The cards agents see in a team's queue, and the queue's messages to requesters.</summary>
public static class QueueCards
{
    public const string InputId = "queue-input";

    /// <summary>The ticket's card in its team's queue; <paramref name="sla"/> is the time-left line, if the ticket has targets.</summary>
    /// <param name="requester">The requester as cards name them.</param>
    /// <param name="assignee">The assignee as cards name them, or null when nobody is assigned.</param>
    /// <param name="activeRun">The ticket's running workflow, if any: agents then get "Cancel run" and "Complete by hand" (reason required).</param>
    /// <param name="automationFailure">What failed, when automation gave the ticket to the queue (<see cref="AutomationFailure"/>).</param>
    /// <param name="latestNote">The latest internal note as "Alice Agent: text" (<see cref="QueueNotes"/>), if any.</param>
    /// <param name="duplicates">The tickets resolved as duplicates of this one (<see cref="Duplicates"/>).</param>
    public static Card Queue(Ticket ticket, string requester, string? assignee, string? sla, string? activeRun = null, string? automationFailure = null,
        string? latestNote = null, IReadOnlyList<string>? duplicates = null)
    {
        var fields = new List<CardField>
        {
            new("Requester", requester),
            new("Status", TicketCards.Describe(ticket.Status)),
            new("Priority", ticket.Priority),
            new("Category", ticket.Category),
            new("Tier", ticket.Tier),
            new("Assignee", assignee ?? ticket.Assignee ?? "unassigned"),
        };
        if (sla is not null)
        {
            fields.Add(new("SLA", sla, Short: false));
        }

        if (latestNote is not null)
        {
            fields.Add(new("Latest internal note", TicketCards.Shorten(latestNote, 300), Short: false));
        }

        if (duplicates is { Count: > 0 })
        {
            var named = string.Join(", ", duplicates.Take(10)) + (duplicates.Count > 10 ? $" and {duplicates.Count - 10} more" : "");
            fields.Add(new("Also reported as", $"{named} (their requesters are told when this is resolved)", Short: false));
        }

        return new Card
        {
            Title = $"{ticket.Key} · {ticket.Priority} · {TicketCards.Shorten(ticket.Subject, 120)}",
            Text = !ticket.IsOpen ? $"*{TicketCards.Describe(ticket.Status)}*"
                : automationFailure is not null ? $"*Automation needs a person:* {automationFailure}"
                : null,
            Fields = fields,
            Context = $"{Opened(ticket)} · reply in this thread to answer the requester; begin with note: to keep it among agents",
            Input = ticket.IsOpen
                ? new CardInput(InputId, activeRun is null
                    ? "For Assign: @person · Escalate: L2, L3 or a team · Resolve: a note"
                    : "For Assign: @person · Escalate: L2, L3 or a team · Resolve: a note · Cancel run, Complete by hand: the reason", "optional")
                : null,
            Buttons = ticket.IsOpen
                ? [
                    new CardButton(QueueActions.Claim, "Claim", ticket.Key, ButtonStyle.Primary),
                    new CardButton(QueueActions.Assign, "Assign", ticket.Key),
                    new CardButton(QueueActions.Escalate, "Escalate", ticket.Key),
                    new CardButton(QueueActions.Resolve, "Resolve", ticket.Key, ButtonStyle.Danger, $"Resolve {ticket.Key}? The requester is told and can say it is not fixed."),
                    .. activeRun is null ? [] : Approvals.OverrideActions.Buttons(ticket.Key, activeRun, InputId),
                ]
                : [],
        };
    }

    /// <summary>
    /// Why automation handed the ticket to the queue: its last run's <c>WorkflowFailed</c>, unless a run started after it.
    /// E.g. "the *software-install* workflow failed at step 2: No endpoint 'software' is configured".
    /// </summary>
    public static string? AutomationFailure(IReadOnlyList<TicketEvent> events)
    {
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var e = events[i];
            if (e.Type == EventType.WorkflowStarted)
            {
                return null;
            }

            if (e.Type == EventType.WorkflowFailed)
            {
                var step = e.GetInt(EventData.Step) is { } index ? $" at step {index + 1}" : "";
                return $"the *{e.Get(EventData.Workflow)}* workflow failed{step}: {e.Get(EventData.Error)}";
            }
        }

        return null;
    }

    /// <summary>The card left in a queue the ticket has moved out of.</summary>
    public static Card Moved(Ticket ticket, string fromTeam) => new()
    {
        Title = $"{ticket.Key} · {ticket.Priority} · {TicketCards.Shorten(ticket.Subject, 120)}",
        Text = $"Escalated from {fromTeam} to the *{ticket.Team}* queue.",
        Context = $"{fromTeam} queue · no longer ours",
    };

    public static Card Notice(string ticket, string text) => new() { Title = ticket, Text = text };

    /// <summary>The queue card's footer where it is shown outside its queue thread (<c>/it status KEY</c>, Refresh).</summary>
    public static string ContextAway(Ticket ticket) =>
        $"{Opened(ticket)} · answer the requester in the ticket's queue thread (begin with note: to keep it among agents)";

    /// <summary>How the queue card's footer begins, in its thread and away from it.</summary>
    private static string Opened(Ticket ticket) => $"{ticket.Team} queue · opened {ticket.CreatedAt:yyyy-MM-dd HH:mm} UTC";

    /// <summary>
    /// An agent's reply as the requester sees it, with the button that says it fixed the problem: pressed, the request is
    /// resolved at once rather than when an agent next looks (a Jira Service Management customer's "Resolve this request").
    /// </summary>
    public static Card FromAgent(Ticket ticket, string agent, string text) => new()
    {
        Title = $"{agent} ({ticket.Team} support)",
        Text = text,
        Context = $"{ticket.Key} · reply here to answer",
        Buttons = [TicketCards.FixedButton(ticket.Key)],
    };

    /// <summary>An agent's internal note as the queue sees it (<c>/it note</c>); the requester never gets this card.</summary>
    public static Card Note(Ticket ticket, string agent, string note) => new()
    {
        Title = $"Internal note on {ticket.Key} from {agent}",
        Text = note,
        Context = "not sent to the requester",
    };

    /// <summary>The requester's reply as the queue sees it.</summary>
    public static Card FromRequester(Ticket ticket, string requester, string text) => new()
    {
        Title = $"{requester} replied on {ticket.Key}",
        Text = text,
        Context = "reply in this thread to answer them",
    };

    /// <summary>The requester's message on a ticket automation is working on (no queue thread yet), as the queue channel sees it.</summary>
    public static Card FromRequesterWhileAutomated(Ticket ticket, string requester, string text) => new()
    {
        Title = $"{requester} wrote on {ticket.Key} · {TicketCards.Shorten(ticket.Subject, 80)}",
        Text = text,
        Context = $"{TicketCards.Describe(ticket.Status)}, automation is on it · /it status {ticket.Key} to see it, /it claim {ticket.Key} to take it over",
    };

    /// <summary>A low survey answer as the queue sees it.</summary>
    /// <param name="resolvedBy">Who resolved the ticket as cards name them ("automation" for a workflow); null when unknown.</param>
    public static Card LowScore(Ticket ticket, string requester, int score, string? resolvedBy) => new()
    {
        Title = $"{ticket.Key}: {requester} rated the help {score} out of 5",
        Text = resolvedBy is null ? $"{ticket.Subject}" : $"{ticket.Subject}\nResolved by {resolvedBy}.",
        Context = $"{ticket.Category} · {ticket.Priority} · worth a follow-up; /it reopen {ticket.Key} puts it back in the queue",
    };

    /// <summary>The resolution message in the requester's thread, with the "Not fixed" button.</summary>
    public static Card Resolution(Ticket ticket, string by, string? note, TimeSpan reopenWindow) => new()
    {
        Title = $"{ticket.Key} is resolved",
        Text = string.IsNullOrWhiteSpace(note) ? $"{by} marked your request as resolved." : $"{by} marked your request as resolved: {note}",
        Context = $"Not fixed? Press the button or reply here within {Describe(reopenWindow)} and it reopens.",
        Buttons = [new CardButton(QueueActions.NotFixed, "Not fixed", ticket.Key, ButtonStyle.Danger)],
    };

    /// <summary>To the requester of a ticket just resolved as a duplicate of <paramref name="original"/>.</summary>
    public static Card ResolvedAsDuplicate(Ticket duplicate, Ticket original, string by) => new()
    {
        Title = $"{duplicate.Key} is the same as {original.Key}",
        Text = $"{by} found that your request is the same problem as {original.Key} ({TicketCards.Shorten(original.Subject, 80)}), which the {original.Team} team is working on. "
            + $"I'll tell you here when {original.Key} is resolved.",
        Context = $"{duplicate.Key} is resolved as a duplicate. Something else? Reply here and it reopens.",
    };

    /// <summary>To the requester of a duplicate, when the ticket it duplicates is resolved.</summary>
    public static Card OriginalResolved(Ticket duplicate, Ticket original, string by, string? note) => new()
    {
        Title = $"{original.Key} is resolved",
        Text = $"{by} resolved {original.Key}, the problem your request {duplicate.Key} was about{(string.IsNullOrWhiteSpace(note) ? "." : $": {note.Trim()}")}",
        Context = "Still not working for you? Reply here and the team hears of it.",
    };

    public static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays == Math.Floor(span.TotalDays) => $"{span.TotalDays:0} day{(span.TotalDays == 1 ? "" : "s")}",
        { TotalHours: >= 1 } => $"{Math.Floor(span.TotalHours):0}h {span.Minutes:00}m",
        _ => $"{Math.Max(0, (int)Math.Ceiling(span.TotalMinutes))}m",
    };
}

public static class QueueActions
{
    public const string Claim = "queue.claim";
    public const string Assign = "queue.assign";
    public const string Escalate = "queue.escalate";
    public const string Resolve = "queue.resolve";
    public const string NotFixed = "queue.notfixed";
}
