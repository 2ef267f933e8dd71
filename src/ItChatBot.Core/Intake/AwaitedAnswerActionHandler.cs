using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Intake;

/// <summary>
/// "Open as a new request", on the notice that a message went to the ticket awaiting the requester's answer, or to the
/// request they had just opened in a chat without threads (<see cref="AwaitedAnswers"/>): it was a new request after all,
/// so it opens one, as the message would have, in the thread under that message, and the queue of the ticket it went to
/// is told it was not about that ticket. The button carries the message's thread, that ticket and the text, since nothing
/// else kept them. "Open a request for it", on the notice that a workflow's message also asked for something else
/// (<c>RequestIntake</c>), is the same action with no thread and no ticket: it opens the other part at the top of the
/// conversation.
/// </summary>
public sealed class AwaitedAnswerActionHandler(OpenRequestHandler requests, ITicketStore store, QueuePublisher publisher) : ICardActionHandler
{
    public const string OpenNew = "request.new";

    /// <summary>What the button carries of the message: enough to triage it and name the ticket (its subject is 200 at most).</summary>
    public const int MaxText = 1500;

    public string Prefix => "request";

    public IReadOnlyCollection<string> Actions { get; } = [OpenNew];

    /// <summary>
    /// The button that opens <paramref name="text"/>, written at the top of <paramref name="origin"/>'s conversation, as a new
    /// request; <paramref name="addedTo"/> is the ticket it was passed to (empty when it went to none).
    /// </summary>
    public static CardButton NewButton(ConversationRef origin, string text, string addedTo, string label = "Open as a new request") =>
        new(OpenNew, label, $"{origin.ThreadId}\n{addedTo}\n{(text.Length <= MaxText ? text : text[..MaxText])}");

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        if (action.Value.Split('\n', 3) is not [var thread, var addedTo, var written] || written.Trim() is not { Length: > 0 } text)
        {
            throw new UsageException("This button carries no message.", "/it <what you need>, or say it here in a sentence");
        }

        if (thread.Length == 0 && await AlreadyOpenedAsync(turn, text, addedTo, cancellationToken) is { } already)
        {
            // Pressed again (a Slack or Teams notice keeps its button): the request it opened is the answer, not a duplicate.
            // With a thread, the thread finds it (OpenNewAsync); without one (a request named beside a workflow's), its text.
            turn.ReplyEphemeral(QueueCards.Notice(already.Key, $"{already.Key} is already open for \"{TicketCards.Shorten(text, 80)}\"; nothing else was opened."));
            return;
        }

        var origin = new ConversationRef(action.Conversation.Channel, action.Conversation.ConversationId, thread.Length == 0 ? null : thread);
        var opened = await requests.OpenNewAsync(turn, text, origin, cancellationToken);
        if (opened.Created && await store.GetAsync(addedTo, cancellationToken) is { IsOpen: true } wrong && wrong.Requester == turn.Person.Id)
        {
            // The agents of the ticket it went to read it as an answer or a detail of it: tell them it was neither.
            var card = QueueCards.Notice(wrong.Key, $"{turn.Person.DisplayName} says \"{TicketCards.Shorten(text, 80)}\" was a new request, not about {wrong.Key}; it is {opened.Ticket.Key} now.");
            foreach (var message in await publisher.ToQueueAsync(wrong, card, cancellationToken))
            {
                turn.Add(message);
            }
        }
    }

    /// <summary>An open request of the presser's whose subject is this text, other than the ticket it went to: what an earlier press of the button opened.</summary>
    private async Task<Ticket?> AlreadyOpenedAsync(Turn turn, string text, string addedTo, CancellationToken cancellationToken)
    {
        if (turn.TicketDelivery is { } delivery && await store.FindTicketByDeliveryAsync(delivery, cancellationToken) is not null)
        {
            return null; // this press, run again after a stop: OpenNewAsync answers it with its receipt
        }

        var subject = TicketCards.Shorten(text, 200);
        var open = await store.QueryAsync(new TicketQuery { Requester = turn.Person.Id, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        return open.FirstOrDefault(t => t.Key != addedTo && t.Subject == subject);
    }
}
