using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Delivery;

namespace ItChatBot.Host.Exports;

/// <summary>
/// The approval expiry service and the audit projection, once a minute on the injected clock: reminders at
/// half-time, expiries, and an audit entry for every access or approval event that has none yet. Where several instances
/// share the store, only the one that leads <see cref="LeaderRoles.Approvals"/> runs it.
/// </summary>
/// <remarks>
/// Runs on a <see cref="BackgroundLane"/> of its own, below the request threads, as the after-ack loops do: the audit
/// projection reads every event logged since its last pass (a minute of a busy service's events), and the expiry sweep
/// looks at the open tickets; at normal priority those bursts competed with the acks for a core.
/// </remarks>
public sealed partial class ApprovalsWorker(
    ApprovalExpiryService expiry,
    EventAuditProjector projector,
    TimeProvider clock,
    BackgroundPriority priority,
    ILeadership leadership,
    ILogger<ApprovalsWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLane.RunAsync("approvals-worker", priority.Lower, () => RunAsync(stoppingToken));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leadership.LeadsAsync(LeaderRoles.Approvals, stoppingToken))
                {
                    await projector.CatchUpAsync(stoppingToken);
                    await expiry.SweepAsync(stoppingToken);
                    await projector.CatchUpAsync(stoppingToken);
                }
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
