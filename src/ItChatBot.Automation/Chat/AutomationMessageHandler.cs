using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// Runs before the default ticket-opening handler (Order 1000): lets the automation take a new request first.
/// A message in a thread that already belongs to a ticket is left to the ticket's handlers.
/// </summary>
public sealed class AutomationMessageHandler(RequestIntake intake, ITicketStore store) : IMessageHandler
{
    public int Order => 100;

    public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message.Text)
            || (message.Conversation.ThreadId is not null && await store.FindTicketByThreadAsync(message.Conversation, cancellationToken) is not null))
        {
            return false;
        }

        return await intake.TryHandleAsync(turn, message.Text.Trim(), turn.ReplyThread, offerKnowledge: true, cancellationToken);
    }
}
