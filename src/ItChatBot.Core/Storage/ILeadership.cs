namespace ItChatBot.Core.Storage;

/// <summary>
/// Work that one service instance at a time must do when several instances share a store (DESIGN §1: PostgreSQL for
/// several instances): sending the outbox, the SLA monitor's and the survey sender's passes, approval expiry. A background
/// service asks before each pass and skips the pass while another instance leads its role; when the leader stops, another
/// instance takes the role at its next pass.
/// </summary>
public interface ILeadership
{
    /// <summary>Whether this instance leads <paramref name="role"/> now (taking it when nobody does).</summary>
    ValueTask<bool> LeadsAsync(string role, CancellationToken cancellationToken = default);
}

/// <summary>The embedded store's case: the data file belongs to one process, which therefore leads every role.</summary>
public sealed class SoleInstance : ILeadership
{
    public ValueTask<bool> LeadsAsync(string role, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
}

/// <summary>The roles the host's background services ask for.</summary>
public static class LeaderRoles
{
    public const string Outbox = "outbox";
    public const string Queues = "queues";
    public const string Approvals = "approvals";
}
