using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Sends what the outbox holds, oldest first and in order within a conversation. A failure leaves the
/// message pending with its next attempt set from the platform's <c>Retry-After</c> or an exponential
/// backoff; nothing is dropped. Wakes on <see cref="OutboxSignal"/>, and once a second for due retries.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutbox outbox,
    IEnumerable<IChannelSender> senders,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the due messages; returns how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in await outbox.DueAsync(clock.GetUtcNow(), 200, cancellationToken))
        {
            var message = entry.Message;
            var conversation = $"{message.Conversation.Channel}|{message.Conversation.ConversationId}";
            if (blocked.Contains(conversation))
            {
                continue;
            }

            if (!_senders.TryGetValue(message.Conversation.Channel, out var sender))
            {
                await FailAsync(entry, $"no channel '{message.Conversation.Channel}' is switched on", null, cancellationToken);
                blocked.Add(conversation);
                continue;
            }

            try
            {
                var update = message.UpdateOf is { } earlier ? (await outbox.GetMessageAsync(earlier, cancellationToken))?.PlatformMessageId : null;
                var platformId = await sender.SendAsync(message, update, cancellationToken);
                await outbox.MarkSentAsync(message.Id, platformId, clock.GetUtcNow(), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await FailAsync(entry, ex.Message, (ex as ChannelSendException)?.RetryAfter, cancellationToken);
                blocked.Add(conversation);
                Log.SendFailed(logger, ex, message.Id, message.Conversation.Channel);
            }
        }

        return sent;
    }

    private Task FailAsync(OutboxEntry entry, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var backoff = retryAfter ?? TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, entry.Attempts)));
        return outbox.MarkFailedAsync(entry.Message.Id, error, clock.GetUtcNow() + backoff, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Sending outbox message {MessageId} on {Channel} failed; it stays queued")]
        public static partial void SendFailed(ILogger logger, Exception exception, string messageId, string channel);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "An outbox pass failed")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
