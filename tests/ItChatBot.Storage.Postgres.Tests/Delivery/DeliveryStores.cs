using ItChatBot.Core.Audit;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>
/// The inbox, outbox, audit log and directory of one store, fresh for a test, and the ways a test changes the audit
/// table behind the log's back (as someone with access to the file or the database could).
/// </summary>
public abstract class DeliveryStores : IAsyncDisposable
{
    public abstract IInbox Inbox { get; }

    public abstract IOutbox Outbox { get; }

    public abstract IAuditLog Audit { get; }

    public abstract IDirectory Directory { get; }

    /// <summary>Sets the stored actor of entry <paramref name="seq"/>, and with <paramref name="rehash"/> its hash to match.</summary>
    public abstract Task ChangeActorAsync(long seq, string actor, bool rehash);

    public abstract Task DeleteAsync(long seq);

    /// <summary>Entries <paramref name="a"/> and <paramref name="b"/> trade places in storage order, every field moving with them.</summary>
    public abstract Task SwapPlacesAsync(long a, long b);

    /// <summary>Entries <paramref name="a"/> and <paramref name="b"/> trade content, each keeping its place and sequence number.</summary>
    public abstract Task SwapContentAsync(long a, long b);

    public abstract ValueTask DisposeAsync();
}
