using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Resumes unfinished runs at start-up (after a crash or restart) and then periodically picks up runs whose
/// retry is due or whose approval has been decided elsewhere.
/// </summary>
public sealed partial class WorkflowResumer(WorkflowEngine engine, IOptions<AutomationOptions> options, TimeProvider clock, ILogger<WorkflowResumer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PassAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ResumeInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PassAsync(stoppingToken);
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            var moved = await engine.ResumeDueAsync(cancellationToken);
            if (moved > 0)
            {
                Log.Resumed(logger, moved);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PassFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Moved {Count} workflow runs on")]
        public static partial void Resumed(ILogger logger, int count);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "A workflow resume pass failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
