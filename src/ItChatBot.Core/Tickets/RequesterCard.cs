using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// The card a requester got when their request was opened (the receipt) stays current: when a change moves what it shows
/// (status, assignee, priority, team, category, tier), the card is replaced in place, as Jira Service Management's and
/// Serval's request messages are. Without this, a request resolved by automation a minute later still showed "Status:
/// New" and an "I no longer need this" button. The receipt is the outbox message <see cref="ReceiptId"/>: the code that
/// opens a ticket sends its first card under that id, once per ticket.
/// </summary>
public sealed class RequesterCard(IOutbox outbox, IDirectory directory, IEventLog log, TimeProvider clock)
{
    /// <summary>The outbox id of a ticket's receipt: one per ticket, given only where the ticket is opened.</summary>
    public static string ReceiptId(string ticketKey) => $"receipt:{ticketKey}";

    /// <summary>What the card shows of a ticket, to tell whether a change needs the card replaced.</summary>
    public static ShownFields Shown(Ticket ticket) => new(ticket.Status, ticket.Assignee, ticket.Priority, ticket.Team, ticket.Category, ticket.Tier);

    /// <summary>The ticket's fields a requester's card shows.</summary>
    public readonly record struct ShownFields(TicketStatus Status, string? Assignee, string Priority, string Team, string Category, string Tier);

    /// <summary>
    /// The receipt's headline, unless what it said no longer holds: the ticket moved to another team ("your request is
    /// logged with the IT team" above "Team: Security"), or automation gave it to people ("Thanks Erin, I'm handling this:
    /// Software install." above "Status: Open" once the install failed).
    /// </summary>
    private static string? Headline(Card receipt, Ticket ticket, IReadOnlyList<TicketEvent> history) =>
        receipt.Fields.FirstOrDefault(f => f.Label == "Team") is { } team && !string.Equals(team.Value, ticket.Team, StringComparison.OrdinalIgnoreCase)
            ? $"Your request is with the {ticket.Team} team now."
            : Queues.QueueCards.AutomationFailure(history) is not null
                ? $"I couldn't finish this automatically, so the {ticket.Team} team has it now."
                : !ticket.IsOpen && EndedByAutomation(history) is { } ended && receipt.Text?.Contains(Handling, StringComparison.Ordinal) == true
                    ? receipt.Text.Replace(Handling, ended, StringComparison.Ordinal)
                    : receipt.Text;

    /// <summary>An automated request's receipt says this while automation works on it ("Thanks Erin, I'm handling this: Password reset.").</summary>
    public const string Handling = "I'm handling this:";

    /// <summary>
    /// What it says instead once its workflow ended and resolved it, by how the run ended: "Status: Resolved" beneath "I'm
    /// handling this" read as if something were still going on. Null when automation did not resolve it (an agent did, or
    /// the requester withdrew it), whose words are their own.
    /// </summary>
    private static string? EndedByAutomation(IReadOnlyList<TicketEvent> history) =>
        history.LastOrDefault(e => e.Type == EventType.Resolved) is not { ActorKind: ActorKind.Automation }
            ? null
            : history.LastOrDefault(e => e.Type == EventType.WorkflowCompleted)?.Get(EventData.Outcome) switch
            {
                "completed" => "this is done:",
                "denied" => "this was not approved:",
                "expired" => "nobody approved this in time:",
                _ => null,
            };

    /// <summary>
    /// The receipt of <paramref name="ticket"/> redrawn for its current state, as an update of the receipt; null when the
    /// ticket has no receipt on record (opened before receipts had their id, imported, or opened where nobody is told).
    /// The receipt's own words (its headline) are kept while they hold (<see cref="Headline"/>).
    /// </summary>
    /// <param name="change">The events of the change being made, not in the log yet.</param>
    public async Task<OutboundMessage?> UpdateAsync(Ticket ticket, IReadOnlyList<TicketEvent> change, CancellationToken cancellationToken)
    {
        if (await outbox.GetMessageAsync(ReceiptId(ticket.Key), cancellationToken) is not { } receipt)
        {
            return null;
        }

        IReadOnlyList<TicketEvent> history = [.. await log.ReadTicketAsync(ticket.Key, cancellationToken), .. change];
        var card = TicketCards.Ticket(ticket, Headline(receipt.Message.Card, ticket, history), await directory.AssigneeNameAsync(ticket, cancellationToken));
        return receipt.Message with { Id = NewId.Next(), Card = card, UpdateOf = receipt.Message.Id, CreatedAt = clock.GetUtcNow() };
    }
}
