namespace ItChatBot.Core.Directory;

/// <summary>People, managers and teams from the configured directory (embedded by default; Graph or Okta).</summary>
public interface IDirectory
{
    Task<Person?> FindAsync(string personId, CancellationToken cancellationToken = default);

    Task<Person?> FindByPlatformIdAsync(string channel, string platformUserId, CancellationToken cancellationToken = default);

    Task<Person?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Person>> ListAsync(CancellationToken cancellationToken = default);

    Task UpsertAsync(Person person, CancellationToken cancellationToken = default);
}
