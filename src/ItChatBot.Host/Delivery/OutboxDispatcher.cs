using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Sends what the outbox holds, oldest first and in order within a conversation. A failure leaves the
/// message pending with its next attempt set from the platform's <c>Retry-After</c> or an exponential
/// backoff; nothing is dropped. A refusal the platform will repeat until someone fixes its cause
/// (<see cref="ChannelSendException.Permanent"/>) is tried again hourly, or at once through
/// <c>POST /api/outbox/{id}/retry</c>. Wakes on <see cref="OutboxSignal"/>, and once a second for due retries.
/// Where several instances share the store, only the one that leads <see cref="LeaderRoles.Outbox"/> sends, so a message
/// is not sent once by each (<see cref="ILeadership"/>).
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutbox outbox,
    IEnumerable<IChannelSender> senders,
    OutboxSignal signal,
    TimeProvider clock,
    BackgroundPriority priority,
    ILeadership leadership,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);
    private const double MaxJitter = 0.25;

    /// <summary>How long a permanently refused message waits for its next try (unless an operator retries it sooner).</summary>
    public static readonly TimeSpan PermanentBackoff = TimeSpan.FromHours(1);
    private const int MarkBatch = 64;
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs on a <see cref="BackgroundLane"/>: below the request threads that acknowledge deliveries.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLane.RunAsync("outbox-dispatcher", priority.Lower, () => RunAsync(stoppingToken));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leadership.LeadsAsync(LeaderRoles.Outbox, stoppingToken))
                {
                    await DispatchDueAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything but the host stopping, including a platform call that timed out: log it and try again.
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

    /// <summary>
    /// One pass over the due messages; returns how many were sent. What was sent is marked in writes of up to
    /// <see cref="MarkBatch"/> messages rather than one write each (a pass of web chat replies is one write), and
    /// always before a failure is recorded or the pass ends.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var sent = new List<SentMessage>();
        var sentCount = 0;
        var platformIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var due = await outbox.DueAsync(clock.GetUtcNow(), 200, cancellationToken);
            var lastUpdates = LastUpdates(due);
            foreach (var entry in due)
            {
                if (entry.Message.UpdateOf is { } card && lastUpdates.TryGetValue(card, out var last) && last != entry.Message.Id)
                {
                    // A later update of the same card is due in this pass and replaces it anyway: one platform call, not two
                    // (a request automation resolves at once moves its card twice within a second). Marked as sent, as the card.
                    var cardId = platformIds.GetValueOrDefault(card) ?? (await outbox.GetMessageAsync(card, cancellationToken))?.PlatformMessageId ?? card;
                    sent.Add(new SentMessage(entry.Message.Id, cardId, clock.GetUtcNow()));
                    continue;
                }

                if (await TrySendAsync(entry, sent, platformIds, blocked, cancellationToken))
                {
                    sentCount++;
                }

                if (sent.Count >= MarkBatch)
                {
                    await MarkSentAsync(sent);
                }
            }
        }
        finally
        {
            await MarkSentAsync(sent);
        }

        return sentCount;
    }

    /// <summary>
    /// For each card updated by more than one due message visible to all, the id of the last of those updates. Not on Teams:
    /// there a reply to a click may have gone back in the click's own answer already, which only its sender can tell.
    /// </summary>
    private static Dictionary<string, string> LastUpdates(IReadOnlyList<OutboxEntry> due) =>
        due.Where(e => e.Message is { UpdateOf: not null, EphemeralTo: null } && e.Message.Conversation.Channel != Channels.Teams)
            .GroupBy(e => e.Message.UpdateOf!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.Last().Message.Id, StringComparer.Ordinal);

    /// <summary>Records what the platforms accepted; not cancellable, since the messages are out already.</summary>
    private async Task MarkSentAsync(List<SentMessage> sent)
    {
        if (sent.Count > 0)
        {
            await outbox.MarkSentAsync([.. sent], CancellationToken.None);
            sent.Clear();
        }
    }

    private async Task<bool> TrySendAsync(
        OutboxEntry entry, List<SentMessage> sent, Dictionary<string, string> platformIds, HashSet<string> blocked, CancellationToken cancellationToken)
    {
        var message = entry.Message;
        var conversation = $"{message.Conversation.Channel}|{message.Conversation.ConversationId}";
        if (blocked.Contains(conversation))
        {
            return false;
        }

        if (!_senders.TryGetValue(message.Conversation.Channel, out var sender))
        {
            await MarkSentAsync(sent);
            await FailAsync(entry, $"no channel '{message.Conversation.Channel}' is switched on", null, cancellationToken);
            blocked.Add(conversation);
            return false;
        }

        if (message is { InThreadOf: { } parent, Conversation.ThreadId: null }
            && (platformIds.TryGetValue(parent, out var parentId) ? parentId : (await outbox.GetMessageAsync(parent, cancellationToken))?.PlatformMessageId) is { } sentAs)
        {
            // Its thread is a message sent before it (in this pass, or earlier). One that never went out leaves it in the
            // conversation itself rather than unsent; the outbox holds it back while that one waits for a retry.
            message = message with { Conversation = message.Conversation with { ThreadId = sender.ThreadOf(sentAs) } };
        }

        string platformId;
        try
        {
            // The message it updates may have been sent in this pass and not be marked yet.
            var update = message.UpdateOf is not { } earlier ? null
                : platformIds.TryGetValue(earlier, out var known) ? known
                : (await outbox.GetMessageAsync(earlier, cancellationToken))?.PlatformMessageId;
            platformId = await sender.SendAsync(message, update, cancellationToken);
        }
        catch (ChannelSendException ex) when (ex.PartlySent is { } partly)
        {
            // Part of it went out: the message counts as sent, and what did not go out is queued on its own (queued before
            // the message is marked, so a stop in between sends a part twice rather than never).
            if (ex.Remainder is { } remainder)
            {
                await outbox.EnqueueAsync([remainder], cancellationToken);
                signal.Notify();
            }

            Log.PartlySent(logger, ex, message.Id, message.Conversation.Channel);
            platformId = partly;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A timed-out call is a failed send like any other (its cancellation is not the host's).
            await MarkSentAsync(sent);
            if (ex is ChannelSendException { Permanent: true })
            {
                await outbox.MarkFailedAsync(
                    message.Id,
                    $"{ex.Message} (refused until its cause is fixed: tried again hourly, or now with POST /api/outbox/{message.Id}/retry)",
                    clock.GetUtcNow() + PermanentBackoff,
                    cancellationToken);
            }
            else
            {
                await FailAsync(entry, ex.Message, (ex as ChannelSendException)?.RetryAfter, cancellationToken);
            }

            blocked.Add(conversation);
            Log.SendFailed(logger, ex, message.Id, message.Conversation.Channel);
            return false;
        }

        sent.Add(new SentMessage(message.Id, platformId, clock.GetUtcNow()));
        platformIds[message.Id] = platformId;
        return true;
    }

    private Task FailAsync(OutboxEntry entry, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // Up to a quarter more at random, so that what one outage failed together is not all tried again at one instant
        // (Bot Framework asks for backoff with jitter); a platform's own Retry-After is kept exactly.
        var backoff = retryAfter ?? TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, entry.Attempts)) * (1 + (Random.Shared.NextDouble() * MaxJitter)));
        return outbox.MarkFailedAsync(entry.Message.Id, error, clock.GetUtcNow() + backoff, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Sending outbox message {MessageId} on {Channel} failed; it stays queued")]
        public static partial void SendFailed(ILogger logger, Exception exception, string messageId, string channel);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Outbox message {MessageId} on {Channel} went out in part; the rest is queued on its own")]
        public static partial void PartlySent(ILogger logger, Exception exception, string messageId, string channel);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "An outbox pass failed")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
