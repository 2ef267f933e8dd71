using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Testing;

/// <summary>
/// The real LiteDB store as the inbox, except that its read of pending envelopes (the inbound processor's start-up sweep)
/// waits until <see cref="Gate"/> opens: for tests of what arrives while a starting host has not read them yet.
/// </summary>
public sealed class GatedSweepInbox(LiteDbStore store) : IInbox
{
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<InboundEnvelope>> PendingAsync(int max, CancellationToken cancellationToken = default)
    {
        await Gate.Task.WaitAsync(cancellationToken);
        return await store.PendingAsync(max, cancellationToken);
    }

    public Task<bool> TryAcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default) => store.TryAcceptAsync(envelope, cancellationToken);

    public Task MarkProcessedAsync(string platformId, string? error = null, CancellationToken cancellationToken = default) => store.MarkProcessedAsync(platformId, error, cancellationToken);

    public Task CompleteAsync(string platformId, IReadOnlyList<OutboundMessage> replies, string? error = null, CancellationToken cancellationToken = default) =>
        store.CompleteAsync(platformId, replies, error, cancellationToken);

    public Task<IReadOnlyList<InboundEnvelope>> FailedAsync(int max, CancellationToken cancellationToken = default) => store.FailedAsync(max, cancellationToken);

    public Task<InboundEnvelope?> ReopenAsync(string platformId, CancellationToken cancellationToken = default) => store.ReopenAsync(platformId, cancellationToken);

    public Task<InboundEnvelope?> FindAsync(string platformId, CancellationToken cancellationToken = default) => store.FindAsync(platformId, cancellationToken);
}
