using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Core.Queues;

/// <summary>
/// After every turn, puts the tickets the turn touched on their queue when they need a human and are not there
/// yet: a request the default handler just opened, one automation handed to people, or one it escalated. Whatever opened the ticket
/// needs to know nothing about queues. A failure here never spoils the requester's turn; the SLA monitor's next
/// pass posts what was missed.
/// </summary>
public sealed partial class QueueMiddleware(
    QueuePublisher publisher,
    ILogger<QueueMiddleware> logger) : IRouterMiddleware
{
    /// <summary>Innermost of the usual steps, so it sees the replies of the handler itself.</summary>
    public int Order => 900;

    public async Task InvokeAsync(Turn turn, Func<Task> next, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string> appended;
        using (var watch = AppendWatch.Begin())
        {
            await next();
            appended = watch.Tickets;
        }

        // The tickets this turn answered about, and those it changed without saying so in its replies (automation
        // that enqueues its receipt itself). Only this turn's: with many turns at once, looking at everything
        // appended meanwhile made each turn check every other turn's tickets too.
        var keys = new HashSet<string>(turn.Replies.Select(r => r.Ticket).OfType<string>(), StringComparer.Ordinal);
        keys.UnionWith(appended);

        foreach (var key in keys)
        {
            try
            {
                // Not one of the turn's replies (the turn answers the person who wrote; the queue is elsewhere): the card
                // goes into the outbox with the post itself, so that neither is ever stored without the other.
                await publisher.EnsurePostedAsync(key, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PostFailed(logger, ex, key, turn.Inbound.PlatformId);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Putting {Ticket} on its queue after inbound {PlatformId} failed; the SLA monitor retries")]
        public static partial void PostFailed(ILogger logger, Exception exception, string ticket, string platformId);
    }
}
