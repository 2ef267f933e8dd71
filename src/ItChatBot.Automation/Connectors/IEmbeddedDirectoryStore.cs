namespace ItChatBot.Automation.Connectors;

/// <summary>
/// What the embedded directory connector keeps: group memberships and issued password resets.
/// <see cref="LiteDbEmbeddedDirectoryStore"/> (the LiteDB file) or <see cref="PostgresEmbeddedDirectoryStore"/> (PostgreSQL).
/// </summary>
public interface IEmbeddedDirectoryStore
{
    /// <summary>Records a reset for <paramref name="userId"/> under <paramref name="id"/> unless one with that id exists.</summary>
    Task RecordResetOnceAsync(string id, string userId, DateTimeOffset at);

    /// <summary>How many distinct resets were issued for a user (each idempotency key counts once).</summary>
    int ResetCount(string userId);

    /// <summary>Adds the member unless it is one already.</summary>
    Task AddMemberAsync(string group, string userId);

    Task RemoveMemberAsync(string group, string userId);

    Task<bool> IsMemberAsync(string group, string userId);

    /// <summary>The group's members in the order they were added.</summary>
    IReadOnlyList<string> Members(string group);
}
