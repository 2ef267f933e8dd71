using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// <c>/it &lt;text&gt;</c> goes through the automation too: it wraps the existing <c>/it</c> fallback (which opens a
/// ticket from keyword triage) and only hands the text on when the automation did not take it.
/// </summary>
public sealed class AutomationCommandFallback(ICommandFallback inner, RequestIntake intake) : ICommandFallback
{
    public string Command => inner.Command;

    public async Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(text) && await intake.TryHandleAsync(turn, text.Trim(), turn.ReplyThread, offerKnowledge: true, cancellationToken))
        {
            return;
        }

        await inner.HandleAsync(turn, text, cancellationToken);
    }
}
