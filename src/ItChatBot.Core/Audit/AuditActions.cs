namespace ItChatBot.Core.Audit;

/// <summary>The kinds of audit entries (DESIGN §2: approvals, access changes, overrides, role changes, exports).</summary>
public static class AuditActions
{
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";

    /// <summary>Someone not authorized pressed Approve or Deny; nothing changed.</summary>
    public const string ApprovalRefused = "approval.refused";
    public const string ApprovalExpired = "approval.expired";
    public const string ApprovalReminded = "approval.reminded";
    public const string AccessGranted = "access.granted";
    public const string AccessRevoked = "access.revoked";
    public const string Overridden = "workflow.overridden";

    /// <summary>An override asked by someone not allowed to; nothing changed.</summary>
    public const string OverrideRefused = "workflow.override-refused";
    public const string RoleChanged = "role.changed";

    /// <summary>A role change asked by someone who is not an admin; nothing changed.</summary>
    public const string RoleChangeRefused = "role.change-refused";
    public const string Export = "export";

    /// <summary>A gated step was asked to run without a valid approval and was refused by the gate.</summary>
    public const string GateRefused = "gate.refused";
}
