namespace ItChatBot.Core.Storage;

/// <summary>
/// Ids for things the store keeps in a unique index (events, outbound messages, audit entries, files).
/// They are version-7 GUIDs: the first 48 bits are the creation time in milliseconds, so ids made one after
/// the other sort one after the other. A store index then takes each new id at its end, touching the same few
/// pages, where a random GUID lands on a random page of the index and every commit writes that page again
/// (see benchmarks/README.md: the eid index alone was most of what an import wrote).
/// </summary>
public static class NewId
{
    /// <summary>A new time-ordered id: 32 lower-case hex digits, no dashes.</summary>
    public static string Next() => Guid.CreateVersion7().ToString("N");
}
