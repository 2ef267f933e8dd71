using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Sends the CSAT survey <see cref="QueueOptions.SurveyDelay"/> after a resolution, whoever resolved it (not when the
/// requester withdrew the request). It reads the event log from its checkpoint, so resolutions by automation are
/// seen too. Never twice for one resolution: the <c>SurveySent</c> event and the outbox message have ids made from
/// the resolution's event id, which the store accepts once; a resolution reopened before its survey is due gets none.
/// </summary>
public sealed class SurveySender(
    IEventLog log,
    IQueueStore store,
    OutboxSignal signal,
    IOptions<QueueOptions> options,
    TimeProvider clock)
{
    private const string Checkpoint = "surveys";

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await ScheduleNewResolutionsAsync(now, cancellationToken);
        var sent = 0;
        foreach (var due in await store.DueSurveysAsync(now, 500, cancellationToken))
        {
            var result = await TrySendAsync(due, now, cancellationToken);
            if (result is not Sending.Retry)
            {
                await store.RemoveSurveyAsync(due.ResolutionEventId, cancellationToken);
            }

            sent += result is Sending.Sent ? 1 : 0;
        }

        if (sent > 0)
        {
            signal.Notify();
        }

        return sent;
    }

    private async Task ScheduleNewResolutionsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = await store.GetCheckpointAsync(Checkpoint, cancellationToken);
        var last = after;
        var oldest = now - options.Value.SurveyMaxAge;
        await foreach (var e in log.ReadAllAsync(after, cancellationToken))
        {
            last = e.Seq;
            // Not after a withdrawal (a requester's resolution of a request they no longer need); after a requester's
            // confirmation that the team's answer fixed it (by: requester), as after any other fix.
            if (e is { Type: EventType.Resolved, Ticket: { } ticket } && (e.ActorKind != ActorKind.Requester || e.Get(EventData.By) == "requester") && e.At >= oldest)
            {
                await store.ScheduleSurveyAsync(new PendingSurvey(e.Id, ticket, e.At + options.Value.SurveyDelay), cancellationToken);
            }
        }

        if (last != after)
        {
            await store.SetCheckpointAsync(Checkpoint, last, cancellationToken);
        }
    }

    private async Task<Sending> TrySendAsync(PendingSurvey due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = await log.ReadTicketAsync(due.Ticket, cancellationToken);
        var final = OutcomeClassifier.FinalResolutionIndex(events);
        if (final < 0 || events[final].Id != due.ResolutionEventId)
        {
            return Sending.Skipped;
        }

        if (events.Any(e => e.Type == EventType.SurveySent && e.Get(QueueEventData.Resolution) == due.ResolutionEventId))
        {
            return Sending.Skipped;
        }

        var ticket = Ticket.Replay(events);
        if (QueuePublisher.RequesterThread(ticket) is not { } thread)
        {
            return Sending.Skipped;
        }

        var surveySent = TicketEvent.New(ticket.Key, EventType.SurveySent, now, "automation", ActorKind.Automation,
            new Dictionary<string, string> { [QueueEventData.Resolution] = due.ResolutionEventId },
            id: QueueIds.SurveySentEvent(due.ResolutionEventId));
        ticket.Record(surveySent);
        var message = new OutboundMessage
        {
            Id = QueueIds.SurveyMessage(due.ResolutionEventId),
            Conversation = thread,
            Card = SurveyCards.Ask(ticket.Key, due.ResolutionEventId),
            Ticket = ticket.Key,
            CreatedAt = now,
        };
        try
        {
            await log.AppendAsync([surveySent], [message], new ExpectedVersion(ticket.Key, events.Count), cancellationToken);
        }
        catch (ConcurrencyException)
        {
            // The ticket changed meanwhile (maybe reopened): decide again on the next pass.
            return Sending.Retry;
        }

        return Sending.Sent;
    }

    private enum Sending
    {
        Sent,
        Skipped,
        Retry,
    }
}
