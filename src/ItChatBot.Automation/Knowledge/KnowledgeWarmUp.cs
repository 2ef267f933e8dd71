using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// Builds the knowledge base's index when the service starts, beside the start rather than in its way. The index is
/// otherwise built by the first message that asks for it, which then waits for it, and a missing or empty articles folder
/// (logged as a warning) would only show once someone wrote to the bot.
/// </summary>
public sealed class KnowledgeWarmUp(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => services.GetRequiredService<KnowledgeBase>(), stoppingToken);
}
