using ItChatBot.Core.Cards;

namespace ItChatBot.Core.Tickets;

/// <summary>The cards that show a ticket to its requester.</summary>
public static class TicketCards
{
    /// <summary>The receipt for a request left with its team's people: the ticket, and whom it is logged with.</summary>
    /// <param name="addMore">A sentence after the thanks (how to add details where the chat has no threads), or null.</param>
    public static Card Logged(Ticket ticket, string requesterName, string? addMore = null) =>
        Ticket(ticket, $"Thanks {requesterName}, your request is logged with the {ticket.Team} team." + (addMore is null ? "" : " " + addMore));

    /// <param name="assignee">The assignee as cards name them (<see cref="Directory.DirectoryNames.AssigneeNameAsync"/>); else the stored id.</param>
    /// <param name="toRequester">
    /// False for someone else allowed to see the ticket (a lead, an admin): the status is not "waiting on you" to them, and
    /// only the requester can withdraw the request.
    /// </param>
    public static Card Ticket(Ticket ticket, string? headline = null, string? assignee = null, bool toRequester = true) => new()
    {
        Title = $"{ticket.Key}: {Shorten(ticket.Subject, 120)}",
        Text = headline,
        Fields =
        [
            new("Status", toRequester ? DescribeToRequester(ticket.Status) : Describe(ticket.Status)),
            new("Priority", ticket.Priority),
            new("Team", ticket.Team),
            new("Category", ticket.Category),
            new("Assignee", assignee ?? ticket.Assignee ?? (ticket.IsOpen ? "not yet assigned" : "none")),
            new("Tier", ticket.Tier),
        ],
        Context = $"{ticket.Key} · opened {ticket.CreatedAt:yyyy-MM-dd HH:mm} UTC"
            + (!ticket.IsOpen && ticket.ResolvedAt is { } resolved ? $" · resolved {resolved:yyyy-MM-dd HH:mm} UTC" : ""),
        Buttons = ticket.IsOpen && toRequester
            ? [
                new CardButton(TicketActions.Status, "Refresh", ticket.Key),
                WithdrawButton(ticket.Key),
            ]
            : [new CardButton(TicketActions.Status, "Refresh", ticket.Key)],
    };

    /// <summary>The requester's button that withdraws their request, behind a confirmation.</summary>
    public static CardButton WithdrawButton(string ticketKey) =>
        new(TicketActions.Withdraw, "I no longer need this", ticketKey, ButtonStyle.Danger, "Withdraw this request? The team will stop working on it.");

    /// <summary>The requester's button that says their request is fixed, which resolves it (<c>QueueDesk.ConfirmFixedAsync</c>).</summary>
    public static CardButton FixedButton(string ticketKey) => new(TicketActions.Fixed, "That fixed it", ticketKey, ButtonStyle.Primary);

    /// <summary>At most this many rows in <see cref="OpenRequests"/>; the newest are shown.</summary>
    public const int MaxRequestRows = 20;

    /// <summary>How far back <see cref="OpenRequests"/> names the requests that were resolved.</summary>
    public static readonly TimeSpan RecentlyResolved = TimeSpan.FromDays(7);

    /// <summary>At most this many recently resolved requests are named under the open ones.</summary>
    public const int MaxRecentRows = 5;

    /// <summary>
    /// A requester's open requests, newest first: what <c>/it status</c> alone answers. Under them, those resolved in the
    /// last <see cref="RecentlyResolved"/>: a request automation resolved in a minute leaves the open list at once, and
    /// its requester still looks for it there (a service portal's "my requests" shows both).
    /// </summary>
    /// <param name="assignees">The assignees' names by id (<see cref="Directory.DirectoryNames.AssigneeNamesAsync"/>); an id not in it is shown as it is.</param>
    /// <param name="resolved">The requester's requests resolved or closed in the last <see cref="RecentlyResolved"/>.</param>
    public static Card OpenRequests(IReadOnlyList<Ticket> open, IReadOnlyDictionary<string, string>? assignees = null, IReadOnlyList<Ticket>? resolved = null)
    {
        var recent = RecentText(resolved ?? []);
        if (open.Count == 0)
        {
            return new Card
            {
                Title = "Your open requests",
                Text = "You have no open requests. Type /it followed by what you need to open one (e.g. /it my laptop will not start)."
                    + (recent is null ? "" : $"\n{recent}"),
            };
        }

        var newest = open.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Key, StringComparer.Ordinal).ToList();
        return new Card
        {
            Title = $"Your open requests ({open.Count})",
            Text = recent,
            Table = new CardTable(
                ["ticket", "status", "team", "assignee", "opened", "subject"],
                [.. newest.Take(MaxRequestRows).Select(t => (IReadOnlyList<string>)
                [
                    t.Key, DescribeToRequester(t.Status), t.Team, t.Assignee is { } a ? assignees?.GetValueOrDefault(a) ?? a : "not yet assigned",
                    $"{t.CreatedAt:yyyy-MM-dd HH:mm} UTC", Shorten(t.Subject, 60),
                ])]),
            Context = (open.Count > MaxRequestRows ? $"Showing the {MaxRequestRows} newest of {open.Count}. " : "") + "/it status KEY shows one of them.",
        };
    }

    /// <summary>"Resolved in the last 7 days: IT-7 Need GitHub access (2026-03-02), …", newest first; null when there are none.</summary>
    private static string? RecentText(IReadOnlyList<Ticket> resolved)
    {
        if (resolved.Count == 0)
        {
            return null;
        }

        var newest = resolved.OrderByDescending(t => t.ResolvedAt).ThenByDescending(t => t.Key, StringComparer.Ordinal).ToList();
        var named = string.Join(", ", newest.Take(MaxRecentRows).Select(t => $"{t.Key} {Shorten(t.Subject, 40)} ({t.ResolvedAt:yyyy-MM-dd})"));
        var more = newest.Count > MaxRecentRows ? $", and {newest.Count - MaxRecentRows} more" : "";
        return $"Resolved in the last {RecentlyResolved.TotalDays:0} days: {named}{more}. Reply in a request's thread, or /it reopen KEY, if it is not fixed.";
    }

    /// <summary>The status as the requester reads it on their own ticket: waiting on <em>you</em>.</summary>
    public static string DescribeToRequester(TicketStatus status) => status == TicketStatus.WaitingOnRequester ? "Waiting on you" : Describe(status);

    /// <summary>The status as agents and leads read it (queue cards, the queue's tables).</summary>
    public static string Describe(TicketStatus status) => status switch
    {
        TicketStatus.New => "New",
        TicketStatus.Open => "Open",
        TicketStatus.InProgress => "In progress",
        TicketStatus.WaitingOnRequester => "Waiting on requester",
        TicketStatus.PendingApproval => "Pending approval",
        TicketStatus.Resolved => "Resolved",
        TicketStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    public static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}

public static class TicketActions
{
    public const string Status = "ticket.status";
    public const string Withdraw = "ticket.withdraw";
    public const string Fixed = "ticket.fixed";
}
