using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Delivery;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Queues;

/// <summary>
/// Runs the SLA monitor and the survey sender every <see cref="QueueOptions.MonitorInterval"/>. Each pass is caught
/// and logged so one failure does not stop the next. Tests call the passes' <c>RunOnceAsync</c> directly. Where several
/// instances share the store, only the one that leads <see cref="LeaderRoles.Queues"/> runs the passes.
/// </summary>
/// <remarks>
/// The passes run on a <see cref="BackgroundLane"/> of their own, below the request threads, as the after-ack loops do.
/// When an SLA pass still read every open ticket's events, with 9,000 open tickets it took a thread-pool thread (normal
/// priority) for about half a second each minute, and the Slack acks that arrived meanwhile waited up to 93 ms; a pass
/// under load still reads every ticket opened since the one before. benchmarks/README.md has the trace.
/// </remarks>
public sealed partial class QueueBackgroundService(
    SlaMonitor monitor,
    SurveySender surveys,
    IOptions<QueueOptions> options,
    TimeProvider clock,
    BackgroundPriority priority,
    ILeadership leadership,
    ILogger<QueueBackgroundService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLane.RunAsync("queue-monitor", priority.Lower, () => RunAsync(stoppingToken));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.MonitorInterval, clock);
        do
        {
            if (!await LeadsAsync(stoppingToken))
            {
                continue;
            }

            try
            {
                await monitor.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(logger, ex, nameof(SlaMonitor));
            }

            try
            {
                await surveys.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(logger, ex, nameof(SurveySender));
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task<bool> LeadsAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await leadership.LeadsAsync(LeaderRoles.Queues, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store cannot say who leads (it is unreachable): skip this pass rather than risk running it twice.
            Log.PassFailed(logger, ex, nameof(ILeadership));
            return false;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Error, Message = "A {Pass} pass failed; the next one runs on schedule")]
        public static partial void PassFailed(ILogger logger, Exception exception, string pass);
    }
}
