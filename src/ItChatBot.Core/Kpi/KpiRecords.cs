namespace ItChatBot.Core.Kpi;

/// <summary>A <c>SurveyAnswered</c>: when, which ticket (index), score.</summary>
public readonly record struct SurveyAnswer(long At, int Ticket, int Score);

/// <summary>A <c>Deflected</c> conversation, which belongs to no ticket.</summary>
public readonly record struct Deflection(long At, int Team, int Category);

/// <summary>A workflow run, from its <c>WorkflowStarted</c> to its end.</summary>
public sealed class RunFacts
{
    public required string Id { get; init; }
    public int Ticket = -1;
    public int Team = -1;
    public long Started = TicketFacts.None;
    public long Ended = TicketFacts.None;
    public bool Failed;
    public bool Overridden;
    public bool HasApprovalGate;
    public string? Workflow;
}

/// <summary>An approval request and its decision, for latency, denials and expiries.</summary>
public sealed class ApprovalFacts
{
    public required string Run { get; init; }
    public int Ticket = -1;
    public long Requested = TicketFacts.None;
    public long Decided = TicketFacts.None;
    public bool Approved;
    public bool Denied;
    public long Expired = TicketFacts.None;
    public string? DecidedBy;

    /// <summary>The request's <c>approver</c> list (person ids and <c>group:NAME</c>), or null when it named none.</summary>
    public string[]? Approvers;

    /// <summary>The request's own <c>requester</c>, when it names one.</summary>
    public string? Requester;

    /// <summary>Every <c>approved</c> decision: when and by whom (a gate may need several).</summary>
    public List<(long At, string By)>? Approvals;
}

/// <summary>A gated action executed (a side-effect step of a run with an approval gate) and whether an approval preceded it.</summary>
public readonly record struct GatedAction(long At, int Ticket, string Run, bool Approved);

/// <summary>An <c>AccessGranted</c> or <c>AccessRevoked</c>.</summary>
/// <param name="AlreadyMember">A grant's <c>alreadyMember</c>: the person held the membership before it (null on older grants).</param>
/// <param name="KeptBy">A revocation's <c>keptBy</c>: what kept the membership (<c>standing</c>, or a later grant).</param>
public sealed record AccessRecord(long At, int Ticket, bool Granted, string Resource, string? Role, string? Person, string? ApprovedBy, long ExpiresAt, string? Outcome,
    bool? AlreadyMember = null, string? KeptBy = null);
