using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// The cursor of a durable run: which step is next and when to try it. The event log says which steps are done;
/// this record only lets the engine find unfinished runs quickly after a restart.
/// </summary>
public sealed record WorkflowRun
{
    public required string Id { get; init; }

    public required string Workflow { get; init; }

    public required string Ticket { get; init; }

    public required string Requester { get; init; }

    public IReadOnlyDictionary<string, string> Slots { get; init; } = new Dictionary<string, string>();

    public int NextStep { get; init; }

    /// <summary>Failed attempts of <see cref="NextStep"/> so far.</summary>
    public int Attempt { get; init; }

    public WorkflowRunStatus Status { get; init; } = WorkflowRunStatus.Running;

    /// <summary>Not before this instant (a retry's back-off).</summary>
    public DateTimeOffset DueAt { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public string? Error { get; init; }

    public bool IsFinished => Status is WorkflowRunStatus.Completed or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled;

    public WorkflowRunInfo ToInfo() => new(Id, Workflow, Ticket, Requester, NextStep, Status);
}
