using ItChatBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// The bot's own user and bot ids from <c>auth.test</c> (slack.md §2), so its own events are dropped and its own mention
/// is taken out of a message's text. Asked once, in the background at start; a failed call is logged and asked again
/// later, with a growing wait, and never stops the host. Until the answer is in, <see cref="Current"/> is null and the
/// filter drops by <c>bot_id</c> alone: the ack path only reads the cached value and never waits on the network.
/// </summary>
public sealed partial class SlackBotIdentity(SlackApiClient api, TimeProvider clock, ILogger<SlackBotIdentity> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private volatile SlackIdentity? _current;

    /// <summary>The bot's identity, or null while <c>auth.test</c> has not answered yet.</summary>
    public SlackIdentity? Current => _current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _current = await api.AuthTestAsync(stoppingToken);
                Log.Known(logger, _current.UserId, _current.BotId);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A bad token, Slack down, or an answer without user_id: the bot runs on, filtering by bot_id meanwhile.
                Log.Failed(logger, ex, wait);
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Slack auth.test: the bot is user {UserId}, bot {BotId}")]
        public static partial void Known(ILogger logger, string userId, string? botId);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Slack auth.test failed; asking again in {Wait}, and until then the bot's own events are recognised by bot_id only")]
        public static partial void Failed(ILogger logger, Exception exception, TimeSpan wait);
    }
}
