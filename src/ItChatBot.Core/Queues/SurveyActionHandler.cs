using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// A press of a survey score. One answer per resolution: the first is recorded as <c>SurveyAnswered</c>; for
/// <see cref="QueueOptions.SurveyChangeWindow"/> after it the requester may change it, which records a new
/// <c>SurveyAnswered</c> naming the answer it replaces (count only the latest per resolution); after that it is final.
/// A low score (<see cref="QueueOptions.SurveyAlertAtOrBelow"/>) is told to the ticket's queue, once per resolution.
/// </summary>
public sealed class SurveyActionHandler(IEventLog log, TicketService tickets, IOutbox outbox, QueuePublisher queue, IOptions<QueueOptions> options) : ICardActionHandler
{
    public string Prefix => "survey";

    public IReadOnlyCollection<string> Actions { get; } = [SurveyCards.Answer];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (!SurveyCards.TryParse(action.Value, out var key, out var resolution, out var score) || score is < 1 or > 5)
        {
            throw new DomainException($"'{action.Value}' is not a survey answer (ticket, resolution and a score from 1 to 5).");
        }

        var ticket = await tickets.GetAsync(key, cancellationToken);
        if (turn.Person.Id != ticket.Requester)
        {
            throw new DomainException($"Only the requester of {ticket.Key} can answer its survey.");
        }

        var events = await log.ReadTicketAsync(ticket.Key, cancellationToken);
        if (!events.Any(e => e.Type == EventType.SurveySent && e.Get(QueueEventData.Resolution) == resolution))
        {
            throw new DomainException($"No survey was sent for that resolution of {ticket.Key}.");
        }

        var answers = events.Where(e => e.Type == EventType.SurveyAnswered && e.Get(QueueEventData.Resolution) == resolution).ToList();
        var window = options.Value.SurveyChangeWindow;
        var until = (answers.FirstOrDefault()?.At ?? TicketEvent.Truncate(turn.Now)) + window;
        if (answers.Count > 0)
        {
            var last = answers[^1];
            if (last.GetInt(EventData.Score) == score)
            {
                turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"Your answer {score} is already recorded."));
                return;
            }

            if (turn.Now > until)
            {
                throw new DomainException($"Your answer for {ticket.Key} ({last.GetInt(EventData.Score)}) is final: answers can be changed for {QueueCards.Describe(window)} only.");
            }
        }

        var data = new Dictionary<string, string>
        {
            [EventData.Score] = score.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [QueueEventData.Resolution] = resolution,
        };
        if (answers.Count > 0)
        {
            data[QueueEventData.Replaces] = answers[^1].Id;
        }

        var answered = TicketEvent.New(ticket.Key, EventType.SurveyAnswered, turn.Now, turn.Person.Id, ActorKind.Requester, data);
        Ticket.Replay(events).Record(answered);
        await log.AppendAsync([answered], expected: new ExpectedVersion(ticket.Key, events.Count), cancellationToken: cancellationToken);

        var alertAt = options.Value.SurveyAlertAtOrBelow;
        if (score <= alertAt && !answers.Any(a => a.GetInt(EventData.Score) <= alertAt))
        {
            var resolved = events.FirstOrDefault(e => e.Id == resolution);
            var by = resolved is null ? null
                : resolved.ActorKind == ActorKind.Automation ? "automation"
                : await queue.NameOfAsync(resolved.Actor, cancellationToken);
            var alert = QueueCards.LowScore(ticket, turn.Person.DisplayName, score, by);
            foreach (var m in await queue.ToQueueAsync(ticket, alert, cancellationToken, fallbackToChannel: true))
            {
                turn.Add(m);
            }
        }

        var card = SurveyCards.Answered(ticket.Key, resolution, score, until);
        if (await outbox.GetMessageAsync(QueueIds.SurveyMessage(resolution), cancellationToken) is { } survey)
        {
            turn.Update(survey.Message, card);
        }
        else
        {
            turn.ReplyEphemeral(card);
        }
    }
}
