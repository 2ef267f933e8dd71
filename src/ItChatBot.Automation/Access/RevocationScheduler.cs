using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Access;

/// <summary>Runs <see cref="RevocationService"/> at start and then every <c>Automation:RevocationInterval</c>; logs overdue revocations.</summary>
public sealed partial class RevocationScheduler(RevocationService revocations, IOptions<AutomationOptions> options, TimeProvider clock, ILogger<RevocationScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PassAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.RevocationInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PassAsync(stoppingToken);
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            await revocations.RevokeDueAsync(cancellationToken);
            var overdue = await revocations.OverdueAsync();
            if (overdue.Count > 0)
            {
                Log.Overdue(logger, overdue.Count, string.Join(", ", overdue.Select(g => g.Id)));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PassFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5403, Level = LogLevel.Error, Message = "{Count} access revocations are overdue: {Grants}")]
        public static partial void Overdue(ILogger logger, int count, string grants);

        [LoggerMessage(EventId = 5404, Level = LogLevel.Error, Message = "A revocation pass failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
