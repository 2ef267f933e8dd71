using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// The request a message the requester wrote at the top of the conversation, rather than in the request's thread, belongs
/// to. An agent asked "which laptop model is it?" in the request's thread, and the answer "a Dell XPS 13" came as a new
/// message: it used to open a ticket of its own (a Teams personal chat has no threads at all, so there every answer did),
/// and the agent never saw it. Likewise, in a chat without threads, the details a requester adds to the request they have
/// just made ("it's a Dell XPS 13, about 3 years old") opened a second ticket.
/// </summary>
/// <remarks>
/// <para>
/// When an agent's question reaches a requester (a reply in the queue thread, or <c>/it wait</c>), and when a requester opens
/// a request by a message at the top of a chat without threads, the ticket is linked as the latest one in that conversation
/// for that requester (<see cref="HintOf"/>, a thread link under a thread id no platform uses), so a message finds it with one
/// lookup, however many tickets the requester has. A later question or request there takes its place.
/// </para>
/// <para>
/// The linked ticket still waits for the answer when, within <see cref="QueueOptions.AnswerWindow"/>, an agent set it waiting
/// on the requester (<c>/it wait</c>) and it still is, or an agent's reply is the last thing that happened between the
/// agent's side and the requester's (nothing the requester recorded, no escalation or reopening, after it). The requester's
/// replies in a thread are passed on, not recorded, so a ticket they already answered there still counts; the notice's
/// "Open as a new request" undoes that guess with one press (<see cref="AwaitedAnswerActionHandler"/>). A message keyword
/// triage recognises as another team's request is never taken for the answer (<see cref="ForAnotherTeam"/>).
/// </para>
/// <para>
/// Without an agent waiting, a message in a chat without threads adds to the request the requester opened there within
/// <see cref="QueueOptions.FollowUpWindow"/> (<see cref="FollowsUp"/>), unless keyword triage recognises in it another kind of
/// request (another team or category: "also, I need a new keyboard" after "my VPN drops" is a request of its own), or it
/// only thanks. In Slack and the web chat the request has a thread to add to, and a new message at the top is a new request.
/// </para>
/// </remarks>
public sealed class AwaitedAnswers(ITicketStore store, IEventLog log, IDirectory directory, KeywordTriage triage, IOptions<QueueOptions> options)
{
    /// <summary>
    /// The ticket a message at the top of the conversation goes to, and the name of the agent waiting for the requester's answer
    /// on it; null when no agent waits and it is the request the requester opened moments ago (<see cref="FollowsUp"/>).
    /// </summary>
    public sealed record Awaited(Ticket Ticket, string? AskedBy);

    /// <summary>Begins the thread id of <see cref="HintOf"/>: no platform's thread or message id begins so.</summary>
    public const string HintPrefix = "~answer:";

    /// <summary>
    /// Where, in the conversation it was requested in, the requester's latest ticket a top-level message may belong to is
    /// linked: the last one an agent asked them about, or, in a chat without threads, the last one they opened there.
    /// </summary>
    public static ConversationRef? HintOf(Ticket ticket) =>
        ticket.Conversation is null ? null : new ConversationRef(ticket.Channel, ticket.Conversation, HintPrefix + ticket.Requester);

    /// <summary>
    /// Records that an agent asked <paramref name="ticket"/>'s requester something, so that their next message at the top of
    /// the conversation can find the ticket (nothing for an imported ticket, which has no conversation).
    /// </summary>
    public Task AskedAsync(Ticket ticket, CancellationToken cancellationToken) => LinkAsync(ticket, cancellationToken);

    /// <summary>
    /// Records that <paramref name="turn"/> opened <paramref name="ticket"/>, so that, in a chat without threads (whether a
    /// message, a typed command or a button there opened it), what its sender adds there next can find the ticket
    /// (<see cref="FollowsUp"/>).
    /// </summary>
    /// <returns>In such a chat, what the receipt tells the requester of it ("Anything to add? …"); else null.</returns>
    public async Task<string?> OpenedAsync(Turn turn, Ticket ticket, CancellationToken cancellationToken)
    {
        var window = options.Value.FollowUpWindow;
        if (!turn.Inbound.Threadless || window <= TimeSpan.Zero || ticket.Requester != turn.Person.Id)
        {
            return null;
        }

        await LinkAsync(ticket, cancellationToken);
        var within = window.TotalMinutes < 60 && window.TotalMinutes == Math.Floor(window.TotalMinutes)
            ? $"{window.TotalMinutes:0} minute{(window.TotalMinutes == 1 ? "" : "s")}"
            : QueueCards.Describe(window);
        return $"Anything to add? Write it here within {within} and it goes to {ticket.Key}.";
    }

    private async Task LinkAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (HintOf(ticket) is { } hint)
        {
            await store.LinkThreadAsync(hint, ticket.Key, cancellationToken);
        }
    }

    /// <summary>
    /// The sender's ticket that <paramref name="text"/> goes to, when the turn is a message at the top of the conversation the
    /// ticket was requested in: one awaiting their answer, or, in a chat without threads, the request they just opened; null
    /// for anything else (a command, a thread reply, a button) or when neither is there.
    /// </summary>
    public async Task<Awaited?> ForAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (turn.Inbound is not InboundMessage { Conversation: { ThreadId: null } here } message
            || await store.FindTicketByThreadAsync(here.InThread(HintPrefix + turn.Person.Id), cancellationToken) is not { } key
            || await store.GetAsync(key, cancellationToken) is not { IsOpen: true } ticket
            || ticket.Requester != turn.Person.Id)
        {
            return null;
        }

        if (AskedBy(ticket, await log.ReadTicketAsync(key, cancellationToken), turn.Now, options.Value.AnswerWindow) is { } agent)
        {
            return ForAnotherTeam(ticket, text) ? null : new(ticket, await directory.NameOfAsync(agent, cancellationToken));
        }

        return message.Threadless && FollowsUp(ticket, text, turn.Now, options.Value.FollowUpWindow, triage) ? new(ticket, null) : null;
    }

    /// <summary>
    /// True when keyword triage recognises in <paramref name="text"/> a request for another team than <paramref name="ticket"/>'s:
    /// no answer to its agent's question, whatever waits. An HR agent's "which pay period is it about?" waited a week
    /// (<see cref="QueueOptions.AnswerWindow"/>), and in that week "my VPN keeps disconnecting" and every other message at the
    /// top of the conversation went to the payroll ticket. A detail of the same team's (another category: "it also drops the
    /// VPN" to IT's "which laptop is it?") is still the answer, since an answer the agent never sees costs more than a
    /// press of "Open as a new request".
    /// </summary>
    private bool ForAnotherTeam(Ticket ticket, string text) =>
        triage.Classify(text) is { Recognised: true } said && !string.Equals(said.Team, ticket.Team, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when <paramref name="text"/>, written at <paramref name="now"/> at the top of a chat without threads, adds to
    /// <paramref name="ticket"/>, the request its sender opened there: within <paramref name="window"/> of its opening, not
    /// only thanks ("thanks!", "ok"; "works now" does add: the team may close it), and not another kind of request (keyword
    /// triage recognises no team and category in it, or the ticket's own).
    /// </summary>
    public static bool FollowsUp(Ticket ticket, string text, DateTimeOffset now, TimeSpan window, KeywordTriage triage)
    {
        if (window <= TimeSpan.Zero || now - ticket.CreatedAt > window
            || (Acknowledgement.IsThanksOrConfirmation(text) && !Acknowledgement.SaysFixed(text)))
        {
            return false;
        }

        var said = triage.Classify(text);
        return !said.Recognised || (string.Equals(said.Team, ticket.Team, StringComparison.OrdinalIgnoreCase) && said.Category == ticket.Category);
    }

    /// <summary>
    /// The agent waiting for the requester's answer on <paramref name="ticket"/>, or null: the agent who set it waiting on
    /// the requester (while it is), else the agent whose reply nothing on the requester's side followed; either within
    /// <paramref name="window"/> of <paramref name="now"/>.
    /// </summary>
    public static string? AskedBy(Ticket ticket, IReadOnlyList<TicketEvent> events, DateTimeOffset now, TimeSpan window)
    {
        if (ticket.Status == TicketStatus.WaitingOnRequester)
        {
            var wait = events.LastOrDefault(e => e.Type == EventType.StatusChanged && e.Get(EventData.Status) == nameof(TicketStatus.WaitingOnRequester));
            return wait is not null && wait.ActorKind == ActorKind.Agent && now - wait.At <= window ? wait.Actor : null;
        }

        var last = -1;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].Type == EventType.Responded && events[i].ActorKind == ActorKind.Agent)
            {
                last = i;
                break;
            }
        }

        if (last < 0 || now - events[last].At > window)
        {
            return null;
        }

        // After the reply: the requester answered a wait, or the ticket moved on (another tier or team, resolved and reopened).
        return events.Skip(last + 1).Any(e => e.ActorKind == ActorKind.Requester || e.Type is EventType.Escalated or EventType.Reopened or EventType.Resolved)
            ? null
            : events[last].Actor;
    }

    /// <summary>
    /// What the requester is told once their message went to the ticket awaiting their answer, or to the request they just
    /// opened; thanks or a confirmation are no new request, so they get no button to open one.
    /// </summary>
    public static Card Added(Awaited awaited, ConversationRef origin, string text)
    {
        var ticket = awaited.Ticket;
        var isNew = !Acknowledgement.IsThanksOrConfirmation(text);
        var named = $"{ticket.Key} ({TicketCards.Shorten(ticket.Subject, 60)})";
        var why = awaited.AskedBy is { } agent
            ? $"{agent} is waiting for your answer on {named}, so your message went there"
            : $"You opened {named} here a moment ago, so your message went there as more detail";
        return new Card
        {
            Title = $"Added to {ticket.Key}",
            Text = $"{why}; the {ticket.Team} team has it.",
            Context = isNew ? $"Not about {ticket.Key}? Open it as a new request, or for another request send it again beginning with that one's key." : ticket.Key,
            Buttons = isNew ? [AwaitedAnswerActionHandler.NewButton(origin, text, ticket.Key)] : [],
        };
    }
}
