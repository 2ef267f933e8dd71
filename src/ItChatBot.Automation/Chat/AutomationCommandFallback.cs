using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// <c>/it &lt;text&gt;</c> goes through the automation too: it wraps the existing <c>/it</c> fallback (which opens a
/// ticket from keyword triage) and only hands the text on when the automation did not take it.
/// </summary>
/// <remarks>
/// A command starts one workflow however often its turn runs (it runs again when the process stopped after the turn's
/// first writes and before its completion). A ticket linked to the command's delivery was opened by an earlier run: with
/// a workflow run, the workflow resumer carries it on and the replay adds nothing; without one, the wrapped fallback
/// answers with that ticket, as <see cref="AutomationMessageHandler"/> does for a message.
/// </remarks>
public sealed class AutomationCommandFallback(ICommandFallback inner, RequestIntake intake, ITicketStore store, WorkflowRunStore runs) : ICommandFallback
{
    public string Command => inner.Command;

    public async Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            await inner.HandleAsync(turn, text, cancellationToken);
            return;
        }

        if (turn.CommandDelivery is { } delivery && await store.FindTicketByDeliveryAsync(delivery, cancellationToken) is { } ticket)
        {
            if ((await runs.ForTicketAsync(ticket)).Count == 0)
            {
                await inner.HandleAsync(turn, text, cancellationToken);
            }

            return;
        }

        if (await intake.TryHandleAsync(turn, text.Trim(), turn.ReplyThread, offerKnowledge: true, cancellationToken))
        {
            return;
        }

        await inner.HandleAsync(turn, text, cancellationToken);
    }
}
