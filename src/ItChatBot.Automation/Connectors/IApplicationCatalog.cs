namespace ItChatBot.Automation.Connectors;

/// <summary>
/// The application catalog: <see cref="ApplicationCatalog"/> (the LiteDB file, read from memory) or
/// <see cref="PostgresApplicationCatalog"/> (PostgreSQL, read from the table). Seeded with common applications when empty.
/// </summary>
public interface IApplicationCatalog
{
    /// <summary>Every application, by id (ordinal).</summary>
    IReadOnlyList<Application> All { get; }

    /// <summary>The application one of whose names (id, name, aliases) is <paramref name="idOrName"/>, ignoring case.</summary>
    Application? Find(string idOrName);

    Task UpsertAsync(Application application);
}
