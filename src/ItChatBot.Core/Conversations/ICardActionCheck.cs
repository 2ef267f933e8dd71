namespace ItChatBot.Core.Conversations;

/// <summary>
/// A quick check a channel runs while the person still waits, before it accepts a press for later handling (a Slack
/// modal's submission can show errors beside its fields only in the answer to that very request): why this press
/// could no longer be acted on — the approval was already decided or expired, the run it names has ended — or null.
/// It changes nothing; the handler checks everything again when the press is handled.
/// </summary>
public interface ICardActionCheck
{
    /// <summary>The action-id prefix of the handler this check belongs to (<c>approval</c> for <c>approval.approve</c>).</summary>
    string Prefix { get; }

    Task<string?> WhyStaleAsync(CardAction action, CancellationToken cancellationToken);

    /// <summary>
    /// Why <paramref name="person"/> would be refused this press (not an approver, not an agent of the team), or
    /// null. A channel uses it to skip asking for text (a modal) that could only end in a refusal; the refusal
    /// itself, with its audit entry, is the handler's.
    /// </summary>
    Task<string?> WhyRefusedAsync(CardAction action, Directory.Person person, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
