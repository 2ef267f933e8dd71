using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Tickets;

/// <summary>The requester's buttons on a ticket card: refresh it, or withdraw the request.</summary>
public sealed class TicketActionHandler(TicketService tickets) : ICardActionHandler
{
    public string Prefix => "ticket";

    public IReadOnlyCollection<string> Actions { get; } = [TicketActions.Status, TicketActions.Withdraw];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(action.Value, cancellationToken);
        TicketAccess.EnsureCanView(turn.Person, ticket);
        if (action.ActionId == TicketActions.Withdraw)
        {
            if (turn.Person.Id != ticket.Requester)
            {
                throw new DomainException($"Only the requester can withdraw {ticket.Key}.");
            }

            (ticket, _) = await tickets.ChangeAsync(turn, ticket.Key, (t, now) =>
            [
                t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, turn.Person.Id, ActorKind.Requester,
                    new Dictionary<string, string> { [EventData.Note] = "withdrawn by the requester" })),
            ], cancellationToken);
            turn.Reply(TicketCards.Ticket(ticket, "Withdrawn: the request is closed as no longer needed."), ticket.Key);
            return;
        }

        turn.ReplyEphemeral(TicketCards.Ticket(ticket));
    }
}
