using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// "Cancel run" / "Complete by hand" on the queue card: the same override as <c>/it override</c>, with the reason
/// from the card (Slack's modal, or the card's box). The press names the run it was shown for, so a press on an
/// old card after the run ended changes nothing.
/// </summary>
public sealed class OverrideActionHandler(WorkflowOverride overrides, ITicketStore tickets) : ICardActionHandler, ICardActionCheck
{
    /// <summary>Where the reason comes from: the queue card's box (and Slack's modal under the same id), or a box named reason.</summary>
    public static readonly IReadOnlyList<string> ReasonInputs = [QueueCards.InputId, ApprovalMessages.ReasonInput];

    public string Prefix => OverrideActions.Prefix;

    public IReadOnlyCollection<string> Actions { get; } = [OverrideActions.Cancel, OverrideActions.Complete];

    public Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (!OverrideActions.TryParse(action.Value, out var key, out var run))
        {
            throw new DomainException($"'{action.Value}' does not name a ticket and its run; the button's value should look like IT-1|r-IT-1-1.");
        }

        var what = action.ActionId.Equals(OverrideActions.Complete, StringComparison.OrdinalIgnoreCase) ? WorkflowOverride.Complete : WorkflowOverride.Cancel;
        var reason = ReasonInputs.Select(id => action.Inputs.GetValueOrDefault(id)?.Trim()).FirstOrDefault(r => !string.IsNullOrEmpty(r)) ?? "";
        return overrides.OverrideAsync(turn, key, what, reason, run, cancellationToken);
    }

    public async Task<string?> WhyStaleAsync(CardAction action, CancellationToken cancellationToken)
    {
        if (!OverrideActions.TryParse(action.Value, out var key, out var run))
        {
            return $"'{action.Value}' does not name a ticket and its run; nothing was changed.";
        }

        if (await tickets.GetAsync(key, cancellationToken) is null)
        {
            return $"There is no ticket {key}; nothing was changed.";
        }

        return await overrides.ActiveRunAsync(key, run, cancellationToken) is null ? WorkflowOverride.Stale(key, run) : null;
    }

    public async Task<string?> WhyRefusedAsync(CardAction action, Directory.Person person, CancellationToken cancellationToken) =>
        OverrideActions.TryParse(action.Value, out var key, out _) && await tickets.GetAsync(key, cancellationToken) is { } ticket && !person.IsAgentOf(ticket.Team)
            ? $"Only agents of the {ticket.Team} team can override automation on {ticket.Key}."
            : null;
}
