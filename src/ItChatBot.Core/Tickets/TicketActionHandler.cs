using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// The requester's buttons on a ticket card: refresh it, withdraw the request, or say it is fixed
/// (<see cref="QueueDesk.ConfirmFixedAsync"/>). A workflow still running on a
/// withdrawn request ends with it (in the same write), so a late approval or a reopen cannot carry it on. Refresh (also
/// "Details" on the queue's notice of a failed run) answers as <c>/it status KEY</c> does (<see cref="TicketView"/>).
/// Withdrawing a request that others' requests were resolved as duplicates of tells its queue, since they still wait for a fix.
/// </summary>
public sealed class TicketActionHandler(TicketService tickets, WorkflowOverride runs, IDirectory directory, TicketView view, QueueDesk desk) : ICardActionHandler
{
    public string Prefix => "ticket";

    public IReadOnlyCollection<string> Actions { get; } = [TicketActions.Status, TicketActions.Withdraw, TicketActions.Fixed];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(action.Value, cancellationToken);
        TicketAccess.EnsureCanView(turn.Person, ticket);
        if (action.ActionId == TicketActions.Fixed)
        {
            await desk.ConfirmFixedAsync(turn, ticket.Key, cancellationToken);
            return;
        }

        if (action.ActionId == TicketActions.Withdraw)
        {
            if (turn.Person.Id != ticket.Requester)
            {
                throw new DomainException($"Only the requester can withdraw {ticket.Key}.");
            }

            var running = await runs.ActiveRunAsync(ticket.Key, null, cancellationToken);
            (ticket, var events) = await tickets.ChangeAsync(turn, ticket.Key, (t, now) =>
            {
                if (!t.IsOpen)
                {
                    // A card sent before the ticket was resolved (or before cards followed their ticket) still has the button.
                    throw new DomainException($"{t.Key} is {TicketCards.Describe(t.Status).ToLowerInvariant()} already, so there is nothing to withdraw. If it is not fixed, say so in its thread.");
                }

                return
                [
                    .. running is null ? [] : new[] { WorkflowOverride.Withdrawn(t, now, turn.Person.Id, running) },
                    t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, turn.Person.Id, ActorKind.Requester,
                        new Dictionary<string, string> { [EventData.Note] = "withdrawn by the requester" })),
                ];
            }, cancellationToken);
            turn.Reply(TicketCards.Ticket(ticket, "Withdrawn: the request is closed as no longer needed.", await directory.AssigneeNameAsync(ticket, cancellationToken)), ticket.Key);
            if (running is not null)
            {
                await runs.StopRunAsync(turn, ticket.Key, running, events[^1].At,
                    $"{turn.Person.DisplayName} withdrew the request, so nothing is waiting for this approval.", cancellationToken);
            }

            await desk.OriginalWithdrawnAsync(turn, ticket, cancellationToken);
            return;
        }

        turn.ReplyEphemeral(await view.CardForAsync(turn.Person, ticket, cancellationToken));
    }
}
