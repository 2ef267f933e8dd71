using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Moves acknowledged deliveries from the inbound journal into the inbox (where a repeated platform id is
/// dropped) and on to the processor, then lets the journal forget them. Whatever is waiting goes in one go:
/// the inbox writes are issued together, so they share the store's commits instead of taking one each.
/// </summary>
public sealed partial class JournalMover(IInboundJournal journal, IInbox inbox, InboundQueue queue, BackgroundPriority priority, ILogger<JournalMover> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    /// <summary>Runs on a <see cref="BackgroundLane"/>: below the request threads that acknowledge deliveries.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLane.RunAsync("journal-mover", priority.Lower, () => RunAsync(stoppingToken));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<JournalledEnvelope>(MaxBatch);
        try
        {
            while (await journal.Landed.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && journal.Landed.TryRead(out var landed))
                {
                    batch.Add(landed);
                }

                await MoveAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What was not moved stays journalled and is moved at the next start.
        }
    }

    private async Task MoveAsync(List<JournalledEnvelope> batch, CancellationToken cancellationToken)
    {
        var accepted = await Task.WhenAll(batch.Select(j => AcceptAsync(j.Envelope, cancellationToken)));
        for (var i = 0; i < batch.Count; i++)
        {
            if (accepted[i] is null)
            {
                // Not in the inbox: it stays journalled and is tried again at the next start.
                continue;
            }

            if (accepted[i] == true)
            {
                queue.TryEnqueue(batch[i].Envelope);
            }

            journal.MarkMoved(batch[i]);
        }
    }

    /// <returns>True when stored, false for a repeated platform id, null when the store refused it.</returns>
    private async Task<bool?> AcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            return await inbox.TryAcceptAsync(envelope, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotMoved(logger, ex, envelope.PlatformId);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Journalled delivery {PlatformId} could not be stored in the inbox; it is tried again at the next start")]
        public static partial void NotMoved(ILogger logger, Exception exception, string platformId);
    }
}
