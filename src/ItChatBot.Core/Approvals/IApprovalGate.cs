namespace ItChatBot.Core.Approvals;

/// <summary>
/// The approval gate of DESIGN §2, called by the workflow engine at execution time. A gated step executes only
/// if <see cref="CheckAsync"/> says <see cref="ApprovalState.Approved"/>: an <c>ApprovalDecided(approved)</c> for
/// that run and step by an authorized approver (the requester's manager or a member of the step's approver
/// group, never the requester), read from the event log when asked, not from what a UI showed.
/// </summary>
public interface IApprovalGate
{
    /// <summary>Records <c>ApprovalRequested</c> once for the run's step (repeat calls change nothing) and returns who may approve.</summary>
    Task<IReadOnlyList<string>> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    /// <summary>The decision for the run's step as the event log has it now.</summary>
    Task<ApprovalState> CheckAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    /// <summary>Why <paramref name="personId"/> may not decide this approval, or null if they may.</summary>
    Task<string?> WhyNotAuthorizedAsync(ApprovalRequest request, string personId, CancellationToken cancellationToken = default);

    /// <summary>Records <c>ApprovalDecided</c> by <paramref name="personId"/>; throws a <see cref="Tickets.DomainException"/> naming the reason when they may not.</summary>
    Task DecideAsync(ApprovalRequest request, string personId, bool approved, string? reason, CancellationToken cancellationToken = default);

    /// <summary>The people asked in person (called on in the request's thread, sent the card directly); none by default.</summary>
    Task<IReadOnlyList<Directory.Person>> PeopleToAskAsync(ApprovalRequest request, IReadOnlyList<string> approvers, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Directory.Person>>([]);
}

/// <param name="Ticket">The ticket the run belongs to.</param>
/// <param name="StepIndex">The index of the <c>approval</c> step in the workflow.</param>
/// <param name="Requester">The person id of the ticket's requester, who may never approve.</param>
public sealed record ApprovalRequest(string Ticket, string RunId, int StepIndex, string Requester, ApproverSpec Approvers, string? Summary = null);

public enum ApprovalState
{
    Pending,
    Approved,
    Denied,
    Expired,
}
