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
public sealed class RequesterCard(IOutbox outbox, IDirectory directory, TimeProvider clock)
{
    /// <summary>The outbox id of a ticket's receipt: one per ticket, given only where the ticket is opened.</summary>
    public static string ReceiptId(string ticketKey) => $"receipt:{ticketKey}";

    /// <summary>What the card shows of a ticket, to tell whether a change needs the card replaced.</summary>
    public static ShownFields Shown(Ticket ticket) => new(ticket.Status, ticket.Assignee, ticket.Priority, ticket.Team, ticket.Category, ticket.Tier);

    /// <summary>The ticket's fields a requester's card shows.</summary>
    public readonly record struct ShownFields(TicketStatus Status, string? Assignee, string Priority, string Team, string Category, string Tier);

    /// <summary>
    /// The receipt's headline, unless the ticket has moved to another team since: "your request is logged with the IT team"
    /// above "Team: Security" contradicted itself after an escalation.
    /// </summary>
    private static string? Headline(Card receipt, Ticket ticket) =>
        receipt.Fields.FirstOrDefault(f => f.Label == "Team") is { } team && !string.Equals(team.Value, ticket.Team, StringComparison.OrdinalIgnoreCase)
            ? $"Your request is with the {ticket.Team} team now."
            : receipt.Text;

    /// <summary>
    /// The receipt of <paramref name="ticket"/> redrawn for its current state, as an update of the receipt; null when the
    /// ticket has no receipt on record (opened before receipts had their id, imported, or opened where nobody is told).
    /// The receipt's own words (its headline) are kept.
    /// </summary>
    public async Task<OutboundMessage?> UpdateAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (await outbox.GetMessageAsync(ReceiptId(ticket.Key), cancellationToken) is not { } receipt)
        {
            return null;
        }

        var card = TicketCards.Ticket(ticket, Headline(receipt.Message.Card, ticket), await directory.AssigneeNameAsync(ticket, cancellationToken));
        return receipt.Message with { Id = NewId.Next(), Card = card, UpdateOf = receipt.Message.Id, CreatedAt = clock.GetUtcNow() };
    }
}
