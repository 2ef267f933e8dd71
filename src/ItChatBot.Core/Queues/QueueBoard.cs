using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>A table of tickets for <c>/it queue</c> and <c>/it mine</c>, most urgent first, with each one's SLA time left now.</summary>
public sealed class QueueBoard(IEventLog log, SlaView sla, IDirectory directory, TimeProvider clock)
{
    private const int MaxRows = 50;

    /// <param name="keep">Which tickets to show, by the ticket and its SLA as of now; all when null.</param>
    public async Task<Card> TableAsync(string title, IReadOnlyList<Ticket> tickets, string empty, CancellationToken cancellationToken, Func<Ticket, SlaView.Summary, bool>? keep = null)
    {
        var now = clock.GetUtcNow();
        var rows = new List<(Ticket Ticket, SlaView.Summary Sla)>();
        foreach (var ticket in tickets)
        {
            var summary = sla.Summarise(ticket, await log.ReadTicketAsync(ticket.Key, cancellationToken), now);
            if (keep is null || keep(ticket, summary))
            {
                rows.Add((ticket, summary));
            }
        }

        if (rows.Count == 0)
        {
            return new Card { Title = title, Text = empty };
        }

        var assignees = await directory.AssigneeNamesAsync([.. rows.Select(r => r.Ticket)], cancellationToken);

        var ordered = rows
            .OrderBy(r => r.Ticket.Priority, StringComparer.Ordinal)
            .ThenBy(r => r.Sla.NextDeadline ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.Ticket.CreatedAt)
            .ToList();
        return new Card
        {
            Title = $"{title} ({rows.Count} open)",
            Table = new CardTable(
                ["ticket", "priority", "status", "tier", "assignee", "SLA", "subject"],
                [.. ordered.Take(MaxRows).Select(r => (IReadOnlyList<string>)
                [
                    r.Ticket.Key, r.Ticket.Priority, TicketCards.Describe(r.Ticket.Status), r.Ticket.Tier,
                    r.Ticket.Assignee is { } a ? assignees[a] : "-", r.Sla.Short, TicketCards.Shorten(r.Ticket.Subject, 60),
                ])]),
            Context = ordered.Count > MaxRows ? $"Showing the {MaxRows} most urgent of {ordered.Count}." : null,
        };
    }
}
