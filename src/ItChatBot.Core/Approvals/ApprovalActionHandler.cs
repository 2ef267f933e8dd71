using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// Approve / Deny on every copy of an approval card. The gate decides who may: anyone else gets a private
/// explanation and an audit entry, and nothing changes. An accepted decision replaces every copy of the card in
/// place (who decided, when, what happens next) and moves the run on; the engine re-checks the gate itself.
/// </summary>
public sealed class ApprovalActionHandler(
    IApprovalGate gate,
    IWorkflowRunner runner,
    IEventLog log,
    IOutbox outbox,
    IAuditLog audit,
    ITicketStore tickets) : ICardActionHandler, ICardActionCheck
{
    public string Prefix => ApprovalMessages.Prefix;

    public IReadOnlyCollection<string> Actions { get; } = [ApprovalMessages.Approve, ApprovalMessages.Deny];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (!ApprovalMessages.TryParse(action.Value, out var runId, out var stepIndex))
        {
            throw new DomainException($"'{action.Value}' does not name a workflow approval; the button's value should look like r-IT-1-1|0.");
        }

        var run = await runner.FindRunAsync(runId, cancellationToken) ?? throw new DomainException($"There is no workflow run {runId}.");
        var events = await log.ReadTicketAsync(run.Ticket, cancellationToken);
        var history = ApprovalHistory.Of(events, runId, stepIndex);
        if (history.Requested is null)
        {
            throw new DomainException($"No approval was requested for step {stepIndex} of run {runId}.");
        }

        var request = new ApprovalRequest(run.Ticket, runId, stepIndex, run.Requester, history.Approvers, history.Summary);
        var approved = action.ActionId.Equals(ApprovalMessages.Approve, StringComparison.OrdinalIgnoreCase);
        if (await gate.WhyNotAuthorizedAsync(request, turn.Person.Id, cancellationToken) is { } problem)
        {
            await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.ApprovalRefused, run.Ticket, new Dictionary<string, string>
            {
                ["run"] = runId,
                ["step"] = stepIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["attempted"] = approved ? ApprovalGate.Approved : ApprovalGate.Denied,
                ["reason"] = problem,
                ["channel"] = turn.Inbound.Conversation.Channel,
            }), cancellationToken);
            turn.ReplyEphemeral(new Card { Title = "You can't decide this approval", Text = problem, Context = $"{run.Ticket} · nothing was changed" });
            return;
        }

        if (RunEnded(events, run) is { } ended && await gate.CheckAsync(request, cancellationToken) == ApprovalState.Pending)
        {
            throw new DomainException(ended);
        }

        action.Inputs.TryGetValue(ApprovalMessages.ReasonInput, out var reason);
        await gate.DecideAsync(request, turn.Person.Id, approved, reason, cancellationToken);
        var state = await gate.CheckAsync(request, cancellationToken);
        try
        {
            await runner.ContinueAsync(runId, cancellationToken);
        }
        finally
        {
            // After the run has moved on, so that the card says where it got to. Before, it said "continues automatically"
            // beneath the messages that the access was granted and the request resolved. Also when moving the run on
            // failed: the decision is recorded, so the buttons must go either way.
            var next = await NextAsync(state, runId, run.Ticket, cancellationToken);
            var card = ApprovalMessages.DecidedCard(run.Ticket, request.Summary ?? "", turn.Person.DisplayName, approved, turn.Now, reason, next);
            await UpdateCopiesAsync(turn, history, card, cancellationToken);
        }
    }

    /// <summary>What happens next, as the decided card says it: read from the ticket and the run once the run has moved on.</summary>
    private async Task<string> NextAsync(ApprovalState state, string runId, string key, CancellationToken cancellationToken)
    {
        if (state is ApprovalState.Denied)
        {
            return "the request stops and the requester is told.";
        }

        if (state is not ApprovalState.Approved)
        {
            return "waiting for the other required approvals.";
        }

        var ticket = await tickets.GetAsync(key, cancellationToken);
        if (ticket is { IsOpen: false })
        {
            return $"done: {ticket.Key} is {TicketCards.Describe(ticket.Status).ToLowerInvariant()}.";
        }

        return (await runner.FindRunAsync(runId, cancellationToken))?.Status switch
        {
            WorkflowRunStatus.WaitingForApproval => "the request now waits for its next approval.",
            WorkflowRunStatus.Failed => $"automation could not finish it, so the {ticket?.Team} team has it.",
            WorkflowRunStatus.Completed => $"the automated steps are done; the {ticket?.Team} team finishes the request.",
            _ => "the request continues automatically.",
        };
    }

    /// <summary>Whether the approval a press names can still be decided: it exists, was requested, and nobody decided it and it has not expired.</summary>
    public async Task<string?> WhyStaleAsync(CardAction action, CancellationToken cancellationToken)
    {
        if (!ApprovalMessages.TryParse(action.Value, out var runId, out var stepIndex))
        {
            return $"'{action.Value}' does not name a workflow approval; nothing was changed.";
        }

        if (await runner.FindRunAsync(runId, cancellationToken) is not { } run)
        {
            return $"There is no workflow run {runId}; nothing was changed.";
        }

        var events = await log.ReadTicketAsync(run.Ticket, cancellationToken);
        var history = ApprovalHistory.Of(events, runId, stepIndex);
        if (history.Requested is null)
        {
            return $"No approval was requested for step {stepIndex} of run {runId}; nothing was changed.";
        }

        return await gate.CheckAsync(new ApprovalRequest(run.Ticket, runId, stepIndex, run.Requester, history.Approvers, history.Summary), cancellationToken) switch
        {
            ApprovalState.Approved => $"This approval on {run.Ticket} was already given; nothing was changed.",
            ApprovalState.Denied => $"This approval on {run.Ticket} was already denied; nothing was changed.",
            ApprovalState.Expired => $"This approval on {run.Ticket} has expired; nothing was changed.",
            _ => RunEnded(events, run),
        };
    }

    /// <summary>
    /// Why an approval of <paramref name="run"/> can no longer be given: the log has the run's end (an agent's override or
    /// resolution, a failure, a completion). An approval recorded then would be for nothing, and would read as if it counted.
    /// </summary>
    private static string? RunEnded(IEnumerable<TicketEvent> events, WorkflowRunInfo run) =>
        events.Any(e => WorkflowOverride.Ends(e) && e.Get(EventData.Run) == run.RunId)
            ? $"The workflow run {run.RunId} on {run.Ticket} has ended, so this approval is no longer needed; nothing was changed."
            : null;

    public async Task<string?> WhyRefusedAsync(CardAction action, Directory.Person person, CancellationToken cancellationToken)
    {
        if (!ApprovalMessages.TryParse(action.Value, out var runId, out var stepIndex) || await runner.FindRunAsync(runId, cancellationToken) is not { } run)
        {
            return null;
        }

        var history = ApprovalHistory.Of(await log.ReadTicketAsync(run.Ticket, cancellationToken), runId, stepIndex);
        return await gate.WhyNotAuthorizedAsync(new ApprovalRequest(run.Ticket, runId, stepIndex, run.Requester, history.Approvers, history.Summary), person.Id, cancellationToken);
    }

    /// <summary>Replaces the thread copy and each approver's direct copy; when this press came from none of them, answers where it came from.</summary>
    private async Task UpdateCopiesAsync(Turn turn, ApprovalHistory history, Card card, CancellationToken cancellationToken)
    {
        var run = history.Requested!.Get(EventData.Run)!;
        var step = history.Requested.GetInt(EventData.Step)!.Value;
        var ids = history.NotifiedPeople.Select(p => ApprovalMessages.DirectCopyId(run, step, p)).Prepend(ApprovalMessages.ThreadCopyId(run, step));
        var updated = 0;
        foreach (var id in ids)
        {
            if (await outbox.GetMessageAsync(id, cancellationToken) is { } copy)
            {
                turn.Update(copy.Message, card);
                updated++;
            }
        }

        if (updated == 0)
        {
            turn.Reply(card, history.Requested.Ticket);
        }
    }
}
