using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Works through envelopes that channel adapters stored and acknowledged. At start it re-queues envelopes
/// that were stored but never processed (the service stopped in between), so an acknowledged request is
/// never lost.
/// </summary>
public sealed partial class InboundProcessor(
    IInbox inbox,
    InboundQueue queue,
    PendingSweep sweep,
    IEnumerable<IEnvelopeHandler> handlers,
    BackgroundPriority priority,
    ILogger<InboundProcessor> logger) : BackgroundService
{
    private readonly Dictionary<string, IEnvelopeHandler> _handlers = handlers.ToDictionary(h => h.Channel, StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the envelopes found pending at start (stored, never processed) were handled; from then on the
    /// processor takes only what the queue hands it.
    /// </summary>
    public Task Recovered => _recovered.Task;

    /// <summary>Runs on a <see cref="BackgroundLane"/>: below the request threads that acknowledge deliveries.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLane.RunAsync("inbound-processor", priority.Lower, () => RunAsync(stoppingToken));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // A delivery stored while the host was starting is both pending here and queued by the journal mover: the
        // sweep handles it, and its queued copy is passed over, so it is handled once. One the sweep handled that is
        // pending again when its id comes through the queue was reopened since (an operator's retry), and is handled.
        var swept = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<InboundEnvelope> pending;
        try
        {
            pending = await inbox.PendingAsync(10_000, stoppingToken);
        }
        finally
        {
            // A failed read swept nothing, so the channels that wait for it may go on either way.
            sweep.MarkRead();
        }

        foreach (var envelope in pending)
        {
            swept.Add(envelope.PlatformId);
            await ProcessAsync(envelope, stoppingToken);
        }

        _recovered.TrySetResult();

        try
        {
            await foreach (var envelope in queue.ReadAllAsync(stoppingToken))
            {
                if (swept.Count > 0 && swept.Remove(envelope.PlatformId)
                    && (await inbox.FindAsync(envelope.PlatformId, stoppingToken))?.ProcessedAt is not null)
                {
                    continue;
                }

                await ProcessAsync(envelope, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ProcessAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        string? error = null;
        var completed = false;
        if (!_handlers.TryGetValue(envelope.Channel, out var handler))
        {
            error = $"no handler for channel '{envelope.Channel}'";
        }
        else
        {
            try
            {
                completed = await handler.HandleAsync(envelope, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever one envelope's handling throws (a timed-out call cancels too) fails that envelope, not the
                // processor: an exception leaving it would stop the host.
                error = ex.Message;
                Log.Failed(logger, ex, envelope.PlatformId);
            }
        }

        if (!completed)
        {
            await inbox.MarkProcessedAsync(envelope.PlatformId, error, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Processing inbound {PlatformId} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string platformId);
    }
}
