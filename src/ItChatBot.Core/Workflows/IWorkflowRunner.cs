namespace ItChatBot.Core.Workflows;

/// <summary>
/// Moves a durable workflow run on. Whoever changes what a run waits for (an approval decided, an expiry, an
/// override) calls <see cref="ContinueAsync"/>; the engine re-checks everything from the event log itself, so a
/// call at the wrong moment does nothing harmful.
/// </summary>
public interface IWorkflowRunner
{
    Task ContinueAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>A run by id, or null.</summary>
    Task<WorkflowRunInfo?> FindRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Every run whose status is still <see cref="WorkflowRunStatus.WaitingForApproval"/>.</summary>
    Task<IReadOnlyList<WorkflowRunInfo>> WaitingForApprovalAsync(CancellationToken cancellationToken = default);
}

public enum WorkflowRunStatus
{
    Running,
    WaitingForApproval,
    Completed,
    Failed,
    Cancelled,
}

public sealed record WorkflowRunInfo(string RunId, string Workflow, string Ticket, string Requester, int NextStep, WorkflowRunStatus Status);
