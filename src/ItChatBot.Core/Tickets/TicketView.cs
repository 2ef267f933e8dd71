using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// The card that shows one ticket to someone asking about it (<c>/it status KEY</c>, Refresh): its team's agents get the
/// queue card, with its buttons and the SLA as of now; anyone else the requester's ticket card (without the requester's
/// own wording and button when the viewer is a lead or an admin).
/// </summary>
public sealed class TicketView(IDirectory directory, QueuePublisher? queue = null, IEventLog? log = null)
{
    public async Task<Card> CardForAsync(Person viewer, Ticket ticket, CancellationToken cancellationToken) =>
        queue is not null && log is not null && viewer.IsAgentOf(ticket.Team)
            ? (await queue.CardAsync(ticket, await log.ReadTicketAsync(ticket.Key, cancellationToken), cancellationToken)) with
            {
                // Shown wherever it was asked for (a DM, a channel), where "reply in this thread" would answer nobody.
                Context = QueueCards.ContextAway(ticket),
            }
            : TicketCards.Ticket(ticket, assignee: await directory.AssigneeNameAsync(ticket, cancellationToken), toRequester: viewer.Id == ticket.Requester);
}
