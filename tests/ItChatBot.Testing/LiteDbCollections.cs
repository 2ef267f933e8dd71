using ItChatBot.Storage.LiteDb;
using Xunit;

namespace ItChatBot.Testing;

/// <summary>Checks on the collections a LiteDB store makes.</summary>
public static class LiteDbCollections
{
    /// <summary>
    /// Asserts that each named collection exists, as it must once the store that reads it is constructed: LiteDB closes its
    /// engine when a collection is read while its creation commits (see <see cref="LiteDbStore.EnsureCollections"/>).
    /// </summary>
    public static void AssertMade(LiteDbStore store, params string[] names) =>
        Assert.All(names, name => Assert.True(store.Database.CollectionExists(name), name));
}
