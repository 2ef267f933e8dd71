namespace ItChatBot.Automation.Access;

/// <summary>A time-bound access grant (DESIGN §2): who, what resource, role, when, until when, approved by whom, for which ticket.</summary>
public sealed record AccessGrant
{
    /// <summary>The granting step's key (run id + step index), so a replayed step finds its grant rather than making another.</summary>
    public required string Id { get; init; }

    public required string Ticket { get; init; }

    public required string RunId { get; init; }

    /// <summary>The person id of the requester.</summary>
    public required string Person { get; init; }

    /// <summary>The account id in the identity system.</summary>
    public required string UserId { get; init; }

    public required string Resource { get; init; }

    public required string Role { get; init; }

    public required string Group { get; init; }

    public required DateTimeOffset GrantedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? ApprovedBy { get; init; }

    /// <summary>
    /// Whether the person was already a member of the group before this grant (a permanent admin asking for 2 hours of admin):
    /// then expiry ends the grant but leaves the membership. Checked once, before the add, and recorded with the grant before
    /// the add, so a retry after a crash reuses it rather than seeing the membership its own first attempt added. Null on
    /// grants recorded before this was kept: those are revoked as before.
    /// </summary>
    public bool? AlreadyMember { get; init; }

    public AccessGrantState State { get; init; } = AccessGrantState.Active;

    public DateTimeOffset? RevokedAt { get; init; }

    public int RevokeAttempts { get; init; }

    public string? LastError { get; init; }

    public bool IsOverdue(DateTimeOffset now, TimeSpan grace) => State != AccessGrantState.Revoked && ExpiresAt + grace < now;
}

public enum AccessGrantState
{
    Active,
    Revoked,
}
