using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Resumes unfinished runs at start-up (after a crash or restart) and then periodically picks up runs whose
/// retry is due or whose approval has been decided elsewhere.
/// </summary>
/// <remarks>
/// A run that fails here (its last retry spent) hands its ticket to people, as one failing inside a turn does; no turn's
/// <see cref="QueueMiddleware"/> sees it, so the pass puts the tickets it touched on their queues itself. Before, such a
/// ticket reached its queue only at the SLA monitor's next pass, up to a minute after the requester was told a person
/// would pick it up.
/// </remarks>
public sealed partial class WorkflowResumer(
    WorkflowEngine engine,
    IOptions<AutomationOptions> options,
    TimeProvider clock,
    ILogger<WorkflowResumer> logger,
    QueuePublisher? queue = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RunOnceAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ResumeInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunOnceAsync(stoppingToken);
        }
    }

    /// <summary>One pass: moves the due runs on, then puts the tickets they touched on their queues where they need a person.</summary>
    /// <returns>How many runs were moved on (0 when the pass failed; it is logged and the next pass retries).</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        IReadOnlyCollection<string> touched;
        using (var watch = AppendWatch.Begin())
        {
            try
            {
                moved = await engine.ResumeDueAsync(cancellationToken);
                if (moved > 0)
                {
                    Log.Resumed(logger, moved);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(logger, ex);
            }

            touched = watch.Tickets;
        }

        if (queue is not null)
        {
            foreach (var key in touched)
            {
                try
                {
                    await queue.EnsurePostedAsync(key, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.PostFailed(logger, ex, key);
                }
            }
        }

        return moved;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Moved {Count} workflow runs on")]
        public static partial void Resumed(ILogger logger, int count);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "A workflow resume pass failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Putting {Ticket} on its queue after a workflow resume pass failed; the SLA monitor retries")]
        public static partial void PostFailed(ILogger logger, Exception exception, string ticket);
    }
}
