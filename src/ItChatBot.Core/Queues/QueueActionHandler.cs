using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// The queue card's buttons (Claim, Assign, Escalate, Resolve) and the requester's "Not fixed" on a resolution
/// message. The card's one text box carries the @person for Assign, the tier or team for Escalate and the note
/// for Resolve.
/// </summary>
public sealed class QueueActionHandler(QueueDesk desk) : ICardActionHandler
{
    public string Prefix => "queue";

    public IReadOnlyCollection<string> Actions { get; } =
        [QueueActions.Claim, QueueActions.Assign, QueueActions.Escalate, QueueActions.Resolve, QueueActions.NotFixed];

    public Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (!TicketKey.TryParse(action.Value, out var parsed))
        {
            throw new DomainException($"'{action.Value}' is not a ticket key.");
        }

        var key = parsed.ToString();
        var input = action.Inputs.GetValueOrDefault(QueueCards.InputId)?.Trim() ?? "";
        return action.ActionId.ToLowerInvariant() switch
        {
            QueueActions.Claim => desk.ClaimAsync(turn, key, cancellationToken),
            QueueActions.Assign when input.Length == 0 || input.Contains(' ', StringComparison.Ordinal) =>
                throw new DomainException("Type the person to assign to (e.g. @bob) in the card's box, then press Assign."),
            QueueActions.Assign => desk.AssignAsync(turn, key, input, cancellationToken),
            QueueActions.Escalate when input.Contains(' ', StringComparison.Ordinal) =>
                throw new DomainException($"'{input}' is not one tier or team; type L2, L3 or a team name in the card's box, or leave it empty for the next tier."),
            QueueActions.Escalate => desk.EscalateAsync(turn, key, input, cancellationToken),
            QueueActions.Resolve => desk.ResolveAsync(turn, key, input, cancellationToken),
            QueueActions.NotFixed => NotFixedAsync(turn, key, cancellationToken),
            _ => throw new DomainException($"'{action.ActionId}' is not a queue button."),
        };
    }

    private Task NotFixedAsync(Turn turn, string key, CancellationToken cancellationToken) =>
        desk.ReopenAsync(turn, key, "not fixed", cancellationToken);
}
