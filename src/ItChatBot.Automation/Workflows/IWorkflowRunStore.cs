using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Where run cursors are kept: <see cref="WorkflowRunStore"/> (the LiteDB file) or <see cref="PostgresWorkflowRunStore"/>
/// (PostgreSQL, shared by several instances).
/// </summary>
public interface IWorkflowRunStore
{
    Task SaveAsync(WorkflowRun run);

    /// <summary>
    /// Stores a new run and queues <paramref name="messages"/> in one write: both are stored, or (the write failed, or the
    /// process stopped before it) neither is. Only if no run has its id yet: false (nothing written) when one has: run ids count a ticket's runs (<c>r-IT-7-2</c>), and two starts on one ticket at once, in one
    /// process or on two instances, could both count the same runs; the second must take the next number rather than
    /// overwrite the first's run.
    /// </summary>
    Task<bool> TryAddAsync(WorkflowRun run, IReadOnlyList<OutboundMessage> messages);

    Task<WorkflowRun?> GetAsync(string id);

    /// <summary>Runs that are <c>Running</c> or <c>WaitingForApproval</c>, oldest first.</summary>
    Task<IReadOnlyList<WorkflowRun>> UnfinishedAsync();

    Task<IReadOnlyList<WorkflowRun>> ForTicketAsync(string ticket);

    /// <summary>
    /// Claims the run for this instance before the engine advances it (executes its next step). True: nobody else is
    /// advancing it (a claim left by an instance that is no longer running is taken over), go on, then
    /// <see cref="ReleaseAsync"/>. False: another running instance is advancing it now; it has been asked for one more pass
    /// when it is done, so whatever made this caller want to move the run (an approval decided here) is not missed.
    /// A claim this instance already holds is claimed again.
    /// </summary>
    Task<bool> TryClaimAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives up this instance's claim on the run. False when another instance asked for one more pass while this one held
    /// it: the claim is kept and the caller advances the run again before releasing it. <paramref name="force"/> releases
    /// it anyway (after a failed pass: the resumer comes back to the run).
    /// </summary>
    Task<bool> ReleaseAsync(string runId, bool force = false, CancellationToken cancellationToken = default);
}
