namespace ItChatBot.Core.Directory;

/// <summary>
/// The identity system that automation acts on: the embedded LiteDB directory by default, Microsoft Graph
/// (Entra ID) or Okta over HTTP. Workflow steps of kind <c>directory</c> and <c>grant_access</c> call it.
/// Calls must be safe to repeat: adding a member twice or removing one that is gone is not an error.
/// <c>idempotencyKey</c> (workflow run id + step index) is passed on to the identity system where it can use it,
/// so a retried call after a crash is recognised as the same call.
/// </summary>
public interface IDirectoryConnector
{
    /// <summary><c>embedded</c>, <c>graph</c> or <c>okta</c>.</summary>
    string Name { get; }

    Task<DirectoryUser?> FindUserAsync(string idOrEmail, CancellationToken cancellationToken = default);

    Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Resets the password and returns how the person gets their new one (a one-time link or temporary password).</summary>
    Task<PasswordReset> ResetPasswordAsync(string userId, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    Task AddToGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    Task RemoveFromGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Whether the user is a member of the group (an approver group, for example).</summary>
    Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the user is a member of the group itself, not through a group inside it: what a time-bound grant asks to
    /// tell a standing membership (kept at expiry) from one it adds. A directory without nested groups answers as
    /// <see cref="IsMemberAsync"/> does.
    /// </summary>
    Task<bool> IsDirectMemberAsync(string userId, string group, CancellationToken cancellationToken = default) =>
        IsMemberAsync(userId, group, cancellationToken);
}

public sealed record DirectoryUser(string Id, string Email, string DisplayName, string? ManagerId);

/// <param name="Delivery">What to tell the requester: a one-time link, or that a temporary password was sent.</param>
public sealed record PasswordReset(string Delivery, bool MustChangeAtNextLogin);
