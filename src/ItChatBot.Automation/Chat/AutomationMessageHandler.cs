using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// Runs before the default ticket-opening handler (Order 1000): lets the automation take a new request first.
/// A message in a thread that already belongs to a ticket is left to the ticket's handlers.
/// </summary>
/// <remarks>
/// A message starts one workflow however often its turn runs. A turn runs again when the process stopped after the
/// turn's first writes and before its completion (the delivery is then still pending in the inbox). The thread under a
/// top-level message is that message's own, and a ticket opened from the message is linked to it as it is stored, so a
/// ticket found there was opened by an earlier run of this very turn:
/// <list type="bullet">
/// <item>with a workflow run, its receipt was queued in the write that saved the run, and the workflow resumer carries
/// the run on; the replay adds nothing;</item>
/// <item>without one (the default handler opened it, or the process stopped before the run was saved), the replay is left
/// to the default handler, which answers with that ticket: the request waits in its team's queue, for people, rather
/// than be opened twice.</item>
/// </list>
/// <para>
/// A reply under an article the bot offered, while neither of its buttons was pressed, says the article did not settle it
/// ("still need help"): it opens the ticket for the original request, as "Open a ticket" would, and the offer is answered,
/// so it can no longer be marked solved. Taken as a new request it would open a ticket named after the reply ("that
/// didn't work") and leave the offer to record a deflection for a conversation that has a ticket.
/// </para>
/// </remarks>
public sealed class AutomationMessageHandler(RequestIntake intake, ITicketStore store, IWorkflowRunStore runs, IPendingRequestStore pending) : IMessageHandler
{
    public int Order => 100;

    public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            return false;
        }

        // The thread this turn answers in: the message's own thread, or the new one under a top-level message.
        if (turn.ReplyThread.ThreadId is not null
            && await store.FindTicketByThreadAsync(turn.ReplyThread, cancellationToken) is { } ticket)
        {
            return message.Conversation.ThreadId is null && (await runs.ForTicketAsync(ticket)).Count > 0;
        }

        if (message.Conversation.ThreadId is not null
            && await pending.OpenOfferInAsync(turn.ReplyThread, turn.Person.Id, message.PlatformId) is { } offer
            && await pending.TryUseAsync(offer.Id, message.PlatformId))
        {
            if (!await intake.TryHandleAsync(turn, offer.Text, offer.Origin, offerKnowledge: false, cancellationToken))
            {
                await intake.OpenForPeopleAsync(turn, offer.Text, offer.Origin, null, null, cancellationToken);
            }

            return true;
        }

        return await intake.TryHandleAsync(turn, message.Text.Trim(), turn.ReplyThread, offerKnowledge: true, cancellationToken);
    }
}
