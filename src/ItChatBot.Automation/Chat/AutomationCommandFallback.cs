using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// <c>/it &lt;text&gt;</c> goes through the automation too: it wraps the existing <c>/it</c> fallback (which opens a
/// ticket from keyword triage) and only hands the text on when the automation did not take it. A command that runs
/// again after a stop starts no second workflow and opens no second ticket (<see cref="ReplayedTurns"/>).
/// </summary>
public sealed class AutomationCommandFallback(ICommandFallback inner, RequestIntake intake, ReplayedTurns replays) : ICommandFallback
{
    public string Command => inner.Command;

    public async Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(text)
            && (await replays.AnsweredAsync(turn, cancellationToken)
                || await intake.TryHandleAsync(turn, text.Trim(), turn.ReplyThread, offerKnowledge: true, cancellationToken)))
        {
            return;
        }

        await inner.HandleAsync(turn, text, cancellationToken);
    }
}
