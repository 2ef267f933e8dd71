using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// The Approve / Deny buttons of a workflow's approval card. The gate checks who pressed; a refusal is answered
/// privately and logged, and nothing is recorded. An accepted decision moves the run on at once.
/// </summary>
public sealed partial class WorkflowActionHandler(IWorkflowRunStore runs, WorkflowCatalog catalog, IApprovalGate gate, IWorkflowRunner runner, ILogger<WorkflowActionHandler> logger)
    : ICardActionHandler
{
    public string Prefix => "wf";

    public IReadOnlyCollection<string> Actions { get; } = [ApprovalCards.Approve, ApprovalCards.Deny];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (!ApprovalMessages.TryParse(action.Value, out var runId, out var stepIndex))
        {
            throw new DomainException($"'{action.Value}' does not name a workflow approval; the button's value should look like r-IT-1-1|0.");
        }

        var run = await runs.GetAsync(runId) ?? throw new DomainException($"There is no workflow run {runId}.");
        var step = catalog.Loaded(run.Workflow)?.Steps.ElementAtOrDefault(stepIndex);
        if (step is not { Kind: StepKind.Approval })
        {
            throw new DomainException($"Step {stepIndex} of run {runId} is not an approval.");
        }

        var request = new ApprovalRequest(run.Ticket, run.Id, stepIndex, run.Requester, ApproverSpec.TryParse(step.Get("approvers"), out _) ?? ApproverSpec.ManagerOnly);
        var approved = action.ActionId == ApprovalCards.Approve;
        if (await gate.WhyNotAuthorizedAsync(request, turn.Person.Id, cancellationToken) is { } problem)
        {
            Log.Refused(logger, turn.Person.Id, run.Id, stepIndex, problem);
            turn.ReplyEphemeral(new Card { Title = "You can't decide this approval", Text = problem, Context = run.Ticket });
            return;
        }

        action.Inputs.TryGetValue("reason", out var reason);
        await gate.DecideAsync(request, turn.Person.Id, approved, reason, cancellationToken);
        turn.Reply(new Card
        {
            Title = approved ? $"Approved: {run.Ticket}" : $"Denied: {run.Ticket}",
            Text = $"{turn.Person.DisplayName} {(approved ? "approved" : "denied")} this request{(string.IsNullOrWhiteSpace(reason) ? "." : $": {reason}")}",
            Context = run.Ticket,
        }, run.Ticket);
        await runner.ContinueAsync(run.Id, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Refused approval click by {PersonId} on run {RunId} step {Step}: {Reason}")]
        public static partial void Refused(ILogger logger, string personId, string runId, int step, string reason);
    }
}
