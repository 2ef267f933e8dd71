using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// The default connector: people and managers from the embedded directory, group memberships and password resets in
/// the store (<see cref="IEmbeddedDirectoryStore"/>; resets keyed by the idempotency key, so a retried reset issues no
/// second link).
/// </summary>
public sealed class EmbeddedDirectoryConnector(IDirectory directory, IEmbeddedDirectoryStore store, TimeProvider clock) : IDirectoryConnector
{
    public EmbeddedDirectoryConnector(IDirectory directory, LiteDbStore store, TimeProvider clock)
        : this(directory, new LiteDbEmbeddedDirectoryStore(store), clock)
    {
    }

    public string Name => "embedded";

    public async Task<DirectoryUser?> FindUserAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var person = await directory.FindAsync(idOrEmail, cancellationToken)
            ?? (idOrEmail.Contains('@', StringComparison.Ordinal) ? await directory.FindByEmailAsync(idOrEmail, cancellationToken) : null);
        return person is null ? null : new DirectoryUser(person.Id, person.Email, person.DisplayName, person.ManagerId);
    }

    public async Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken = default) =>
        (await FindUserAsync(userId, cancellationToken))?.ManagerId is { } manager ? await FindUserAsync(manager, cancellationToken) : null;

    public async Task<PasswordReset> ResetPasswordAsync(string userId, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(userId, cancellationToken) ?? throw new InvalidOperationException($"No user {userId}.");
        await store.RecordResetOnceAsync(idempotencyKey ?? NewId.Next(), user.Id, clock.GetUtcNow());
        return new PasswordReset($"A one-time reset link was sent to {user.Email}; it works for one hour.", MustChangeAtNextLogin: true);
    }

    /// <summary>How many distinct resets were issued for a user (each idempotency key counts once).</summary>
    public int ResetCount(string userId) => store.ResetCount(userId);

    public Task AddToGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        store.AddMemberAsync(group, userId);

    public Task RemoveFromGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        store.RemoveMemberAsync(group, userId);

    public Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default) => store.IsMemberAsync(group, userId);

    public IReadOnlyList<string> Members(string group) => store.Members(group);
}
