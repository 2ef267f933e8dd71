using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;

namespace ItChatBot.Host.Exports;

/// <summary>
/// The approval expiry service and the audit projection, once a minute on the injected clock: reminders at
/// half-time, expiries, and an audit entry for every access or approval event that has none yet.
/// </summary>
public sealed partial class ApprovalsWorker(ApprovalExpiryService expiry, EventAuditProjector projector, TimeProvider clock, ILogger<ApprovalsWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await projector.CatchUpAsync(stoppingToken);
                await expiry.SweepAsync(stoppingToken);
                await projector.CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "An approvals pass (expiry, audit projection) failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
