namespace ItChatBot.Automation.Access;

/// <summary>
/// Where access grants are kept: <see cref="AccessGrantStore"/> (the LiteDB file) or <see cref="PostgresAccessGrantStore"/>
/// (PostgreSQL, shared by several instances).
/// </summary>
public interface IAccessGrantStore
{
    /// <summary>Inserts the grant unless one with its id exists; returns the stored grant either way.</summary>
    Task<AccessGrant> AddOnceAsync(AccessGrant grant);

    Task SaveAsync(AccessGrant grant);

    Task<AccessGrant?> GetAsync(string id);

    /// <summary>Active grants whose expiry is at or before <paramref name="now"/>, soonest first.</summary>
    Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now);

    /// <summary>
    /// Active grants of <paramref name="userId"/> on <paramref name="group"/> that run past <paramref name="now"/>, latest
    /// expiry first: while one exists, ending another grant on the same group must leave the membership in place.
    /// </summary>
    Task<IReadOnlyList<AccessGrant>> ActiveLaterAsync(string userId, string group, DateTimeOffset now);

    /// <summary>Active grants of <paramref name="userId"/> on <paramref name="group"/>, expired or not: a membership they hold is ours, not standing.</summary>
    Task<IReadOnlyList<AccessGrant>> ActiveOnAsync(string userId, string group);

    /// <summary>Grants past their expiry plus <paramref name="grace"/> and still not revoked: revocations that are late.</summary>
    Task<IReadOnlyList<AccessGrant>> OverdueAsync(DateTimeOffset now, TimeSpan grace);

    Task<IReadOnlyList<AccessGrant>> AllAsync();

    /// <summary>
    /// Claims the revocation of grant <paramref name="id"/> for this instance: the grant as stored now when it is still
    /// active and no other running instance is revoking it; null otherwise (revoked meanwhile, unknown, or being revoked
    /// elsewhere). A claim left by an instance that stopped is taken over. Release it with <see cref="ReleaseRevocationAsync"/>
    /// after saving the outcome.
    /// </summary>
    Task<AccessGrant?> ClaimRevocationAsync(string id, CancellationToken cancellationToken = default);

    Task ReleaseRevocationAsync(string id, CancellationToken cancellationToken = default);
}
