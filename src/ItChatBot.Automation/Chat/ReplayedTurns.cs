using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// What a command or a button press finds of an earlier run of its own turn. A turn runs again when the process stopped
/// after the turn's first writes and before its completion (the delivery is then still pending in the inbox); a ticket
/// the first run opened is linked to the delivery (<see cref="Turn.TicketDelivery"/>) as its creation is stored.
/// </summary>
public sealed class ReplayedTurns(ITicketStore store, IWorkflowRunStore runs)
{
    /// <summary>
    /// True when an earlier run of this turn opened a ticket, so the replay opens none. With a workflow run, its receipt
    /// was queued in the write that saved the run and the workflow resumer carries the run on: nothing is said. Without
    /// one the requester is answered with the ticket, which waits in its team's queue for people (the ticket alone does
    /// not say whether a workflow was about to start, so none is guessed), as <see cref="AutomationMessageHandler"/>
    /// leaves a replayed message.
    /// </summary>
    public async Task<bool> AnsweredAsync(Turn turn, CancellationToken cancellationToken)
    {
        if (turn.TicketDelivery is not { } delivery || await store.FindTicketByDeliveryAsync(delivery, cancellationToken) is not { } key)
        {
            return false;
        }

        if ((await runs.ForTicketAsync(key)).Count == 0 && await store.GetAsync(key, cancellationToken) is { } ticket)
        {
            turn.Receipt(TicketCards.Logged(ticket, turn.Person.DisplayName), ticket.Key);
        }

        return true;
    }
}
