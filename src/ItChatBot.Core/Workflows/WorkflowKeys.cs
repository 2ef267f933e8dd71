namespace ItChatBot.Core.Workflows;

/// <summary>
/// The idempotency keys of a workflow run. A step's key is run id + step index; the events a step writes use
/// ids derived from it, so replaying a step after a restart appends nothing twice.
/// </summary>
public static class WorkflowKeys
{
    public static string Step(string runId, int stepIndex) => $"{runId}:{stepIndex}";

    public static string StepStarted(string runId, int stepIndex, int attempt) => $"{Step(runId, stepIndex)}:started:{attempt}";

    public static string StepFailed(string runId, int stepIndex, int attempt) => $"{Step(runId, stepIndex)}:failed:{attempt}";

    public static string StepCompleted(string runId, int stepIndex) => $"{Step(runId, stepIndex)}:done";

    public static string ApprovalRequested(string runId, int stepIndex) => $"{Step(runId, stepIndex)}:approval-requested";

    public static string RunStarted(string runId) => $"{runId}:started";

    public static string RunCompleted(string runId) => $"{runId}:completed";

    public static string RunFailed(string runId) => $"{runId}:failed";
}
