using ItChatBot.Core.Conversations;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Where several instances share a PostgreSQL store: once a minute, takes over the deliveries that an instance which has
/// stopped accepted into the inbox and never processed, and hands them to this instance's processor. An instance takes
/// over at its own start too (<see cref="InboundProcessor"/>'s sweep); this covers a stopped instance that never comes
/// back. Every instance runs it; the inbox gives each stopped instance's envelopes to one instance only.
/// </summary>
public sealed partial class InboxTakeover(PostgresInbox inbox, InboundQueue queue, InboundProcessor processor, ILogger<InboxTakeover> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Not before this instance's own start-up sweep, which takes over too.
            await processor.Recovered.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TakeOverAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass; returns how many deliveries were taken over.</summary>
    public async Task<int> TakeOverAsync(CancellationToken cancellationToken)
    {
        try
        {
            var taken = await inbox.TakeOverAsync(1_000, cancellationToken);
            foreach (var envelope in taken)
            {
                // A full queue leaves the envelope owned by this instance and pending: its next start's sweep gets it.
                queue.TryEnqueue(envelope);
            }

            return taken.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Taking over the deliveries of stopped instances failed; the next pass tries again")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
