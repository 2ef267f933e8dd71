using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Intake;

/// <summary>
/// The last word on free text (a DM, a mention, <c>/it &lt;text&gt;</c>): open a ticket from keyword triage and
/// answer in the thread with its card. A message in a thread that already belongs to a ticket shows that ticket.
/// </summary>
/// <remarks>
/// A message opens one ticket however often its turn runs. A turn is replayed when the process stopped after the ticket
/// was stored and before the turn's replies were (the delivery is then still pending in the inbox); the ticket this very
/// message opened is the one linked to the thread under it, since the log links the request's thread as it stores the
/// creation, and the replay answers with that ticket instead of opening a second. A command (<c>/it &lt;text&gt;</c>) has no
/// message of its own, so its ticket is linked to its delivery instead, and found by it.
/// </remarks>
public sealed class OpenRequestHandler(TicketService tickets, ITicketStore store, KeywordTriage triage, IDirectory directory, ExistingRequests existing) : IMessageHandler, ICommandFallback
{
    public int Order => 1000;

    public string Command => "it";

    public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        // The thread this turn answers in: the message's own thread, or the new one under a top-level message (whose
        // ticket, if it has one, an earlier run of this turn opened).
        if (await LinkedAsync(turn.ReplyThread, null, cancellationToken) is { } existing)
        {
            if (message.Conversation.ThreadId is not null)
            {
                turn.Reply(TicketCards.Ticket(existing, "This thread belongs to this request.", await directory.AssigneeNameAsync(existing, cancellationToken)), existing.Key);
            }
            else
            {
                turn.Receipt(Logged(turn, existing), existing.Key);
            }

            return true;
        }

        await OpenAsync(turn, message.Text, cancellationToken);
        return true;
    }

    public async Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException("Say what you need after /it.", "/it <what you need>, e.g. /it my laptop won't start");
        }

        // A command has no thread of its own; the ticket an earlier run of this turn opened is linked to its delivery.
        if (await LinkedAsync(null, turn.TicketDelivery, cancellationToken) is { } existing)
        {
            turn.Receipt(Logged(turn, existing), existing.Key);
            return;
        }

        await OpenAsync(turn, text, cancellationToken);
    }

    private async Task OpenAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        var subject = text.Trim();
        if (subject.Length == 0)
        {
            throw new UsageException("The message was empty.", "/it <what you need>");
        }

        if (await existing.TryHandleAsync(turn, subject, cancellationToken))
        {
            // "any update on my ticket?" or "IT-42 is still broken": about a request the person has, not a new one.
            return;
        }

        var triaged = triage.Classify(subject);
        if (!triaged.Incident && await existing.TryAnswerAwaitedAsync(turn, subject, cancellationToken))
        {
            // "a Dell XPS 13" while an agent waits for the answer to "which laptop is it?": for that ticket. A security incident
            // is never taken for an answer; it goes to its team at once.
            return;
        }

        await OpenTriagedAsync(turn, subject, triaged, turn.ReplyThread, cancellationToken);
    }

    /// <summary>
    /// Opens <paramref name="text"/> as a new request in <paramref name="origin"/>, with no look for an existing request it may
    /// be about: the person said it is new ("Open as a new request", <see cref="AwaitedAnswerActionHandler"/>). Pressed again, or
    /// run again after a stop, it answers with the ticket it opened.
    /// </summary>
    /// <returns>The ticket, and whether this turn opened it.</returns>
    public async Task<(Ticket Ticket, bool Created)> OpenNewAsync(Turn turn, string text, ConversationRef origin, CancellationToken cancellationToken)
    {
        if (await LinkedAsync(origin, turn.TicketDelivery, cancellationToken) is { } opened)
        {
            if (opened.Requester != turn.Person.Id)
            {
                throw new DomainException("That message's thread belongs to someone else's request; nothing was opened.");
            }

            turn.Receipt(Logged(turn, opened), opened.Key, origin);
            return (opened, false);
        }

        return (await OpenTriagedAsync(turn, text.Trim(), triage.Classify(text), origin, cancellationToken), true);
    }

    private async Task<Ticket> OpenTriagedAsync(Turn turn, string subject, Triage triaged, ConversationRef origin, CancellationToken cancellationToken)
    {
        var ticket = await tickets.OpenAsync(
            new OpenTicket(triaged.Team, triaged.Category, triaged.Priority, turn.Person.Id, TicketCards.Shorten(subject, 200), origin) { Delivery = turn.TicketDelivery },
            cancellationToken: cancellationToken);
        var addMore = await existing.OpenedAsync(turn, ticket, cancellationToken);
        turn.Receipt(TicketCards.Logged(ticket, turn.Person.DisplayName, addMore), ticket.Key, origin);
        return ticket;
    }

    /// <summary>
    /// The ticket an earlier run of this turn opened: the one linked to <paramref name="thread"/> (a request's thread, linked
    /// as the log stores the creation), else to <paramref name="delivery"/> (a command's or a button press's platform id).
    /// </summary>
    private async Task<Ticket?> LinkedAsync(ConversationRef? thread, string? delivery, CancellationToken cancellationToken)
    {
        var key = thread?.ThreadId is null ? null : await store.FindTicketByThreadAsync(thread, cancellationToken);
        key ??= delivery is null ? null : await store.FindTicketByDeliveryAsync(delivery, cancellationToken);
        return key is null ? null : await store.GetAsync(key, cancellationToken);
    }

    private static Card Logged(Turn turn, Ticket ticket) => TicketCards.Logged(ticket, turn.Person.DisplayName);
}
