using ItChatBot.Core.Conversations;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using System.Text.RegularExpressions;
using ItChatBot.Core.Cards;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Keeps each side in its own conversation: an agent's reply in the queue thread reaches the requester's thread
/// (and is a <c>Responded</c>, the first of them being the first response), and the requester's reply reaches the
/// queue thread. A requester's reply to a resolved ticket reopens it within the reopen window; after it, or once
/// the ticket is closed, it opens a new ticket linked to the old one.
/// </summary>
/// <remarks>
/// A message runs again when the process stopped after its turn's writes and before its completion (the delivery is then
/// still pending in the inbox, and none of the turn's messages was sent). What this handler records carries the delivery
/// (<see cref="TicketService.ChangeAsync(Turn, string, Func{Ticket, DateTimeOffset, IEnumerable{TicketEvent}}, CancellationToken)"/>,
/// and a follow-up's creation is linked to it), so the run that completes finds what the stopped one recorded, records
/// nothing twice, and sends what the first run would have.
/// </remarks>
public sealed partial class RelayHandler(
    ITicketStore store,
    IEventLog log,
    TicketService tickets,
    QueuePublisher publisher,
    KeywordTriage triage,
    QueueDesk desk,
    IOptions<QueueOptions> options,
    Approvals.ApprovalConversation? approvers = null,
    AwaitedAnswers? awaited = null) : IMessageHandler
{
    /// <summary>The form of an internal note in a queue thread, named when one is refused.</summary>
    public const string NoteUsage = "note: what the team should know (in the ticket's queue thread; the requester does not see it)";

    /// <summary>Before the default handler (1000), which only shows the ticket card for a thread reply, and after handlers that own a thread for a while (e.g. a workflow asking for a slot).</summary>
    public int Order => 900;

    public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        var conversation = message.Conversation;
        if (conversation.ThreadId is null)
        {
            return false;
        }

        var key = await publisher.TicketOfThreadAsync(conversation, cancellationToken);
        var inQueue = publisher.IsQueueConversation(conversation);
        if (key is null || await store.GetAsync(key, cancellationToken) is not { } ticket)
        {
            return false;
        }

        var text = message.Text.Trim();
        if (text.Length == 0)
        {
            throw new DomainException("The message was empty; nothing was passed on.");
        }

        if (inQueue)
        {
            await FromAgentAsync(turn, ticket, text, cancellationToken);
            return true;
        }

        if (turn.Person.Id != ticket.Requester)
        {
            return await FromOtherAsync(turn, ticket, text, cancellationToken);
        }

        return await AsRequesterAsync(turn, ticket, text, cancellationToken);
    }

    /// <summary>
    /// The requester wrote about their ticket outside its thread, naming it ("IT-42 is still not working"): the same as a
    /// reply in its thread (passed to the queue, or it reopens the ticket, or opens a follow-up), and the requester is told
    /// where it went when nothing else answers them.
    /// </summary>
    /// <param name="notice">What the requester is told of where it went, instead of the plain "Added to KEY".</param>
    public async Task<bool> FromRequesterElsewhereAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken, Card? notice = null)
    {
        var answered = turn.Replies.Count;
        if (!await AsRequesterAsync(turn, ticket, text, cancellationToken))
        {
            return false;
        }

        if (!turn.Replies.Skip(answered).Any(r => r.Conversation.ConversationId == turn.ReplyThread.ConversationId))
        {
            turn.ReplyEphemeral(notice ?? QueueCards.Notice(ticket.Key, $"Added to {ticket.Key}; the {ticket.Team} team has your message. Replies in its thread keep everything together."));
        }

        return true;
    }

    private async Task<bool> AsRequesterAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (ticket.IsOpen)
        {
            return await ReplayedAsync(turn, ticket, text, cancellationToken) || await FromRequesterAsync(turn, ticket, text, cancellationToken);
        }

        if (Acknowledgement.IsThanksOrConfirmation(text))
        {
            // "thanks, works now" after a resolution says it is fixed: reopening it, or opening a follow-up, would undo
            // the resolution the requester is confirming (and count against first-contact resolution).
            await AcknowledgedAsync(turn, ticket, text, cancellationToken);
            return true;
        }

        if (Reopenable(ticket, turn.Now))
        {
            await ReopenAsync(turn, ticket, text, cancellationToken);
            return true;
        }

        await FollowUpAsync(turn, ticket, text, cancellationToken);
        return true;
    }

    private async Task FromAgentAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (QueueNotes.InThreadMessage(text) is { } note)
        {
            await desk.NoteAsync(turn, ticket.Key, QueueNotes.Check(note, NoteUsage), toQueue: false, cancellationToken);
            return;
        }

        AgentGuard.EnsureAgentOf(turn.Person, ticket, "reply to the requester of");
        var requesterThread = QueuePublisher.RequesterThread(ticket)
            ?? throw new DomainException($"{ticket.Key} has no conversation with its requester to reply in (it was imported); nothing was sent.");
        (ticket, var events) = await tickets.ChangeAsync(turn, ticket.Key, (t, now) =>
        [
            .. QueueDesk.TakeUnassigned(t, now, turn.Person.Id, working: true),
            t.Record(QueueDesk.AgentReply(t, now, turn.Person.Id)),
        ], cancellationToken);
        var first = ticket.FirstResponseAt == events[^1].At;
        if (awaited is not null)
        {
            // The requester may answer at the top of the conversation rather than in the thread (a Teams personal chat has no threads).
            await awaited.AskedAsync(ticket, cancellationToken);
        }

        turn.Send(requesterThread, QueueCards.FromAgent(ticket, turn.Person.DisplayName, text), ticket.Key);
        if (first || events.Count > 1)
        {
            // The first response stops the response clock, and a reply takes a ticket nobody had: the card's SLA line or
            // its assignee changes.
            foreach (var update in await publisher.PublishAsync(ticket.Key, cancellationToken))
            {
                turn.Add(update);
            }
        }
    }

    private async Task<bool> FromRequesterAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        var toQueue = await publisher.ToQueueAsync(ticket, QueueCards.FromRequester(ticket, turn.Person.DisplayName, text), cancellationToken);
        if (toQueue.Count == 0)
        {
            return await WhileAutomatedAsync(turn, ticket, text, cancellationToken);
        }

        foreach (var m in toQueue)
        {
            turn.Add(m);
        }

        if (await TellApproversAsync(turn, ticket, text, cancellationToken) is { Count: > 0 } approversTold)
        {
            // Its card is in the queue already (an agent looked, a note was posted), and the approval still waits.
            turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{Names(approversTold)} {(approversTold.Count == 1 ? "has" : "have")} your message too; {ticket.Key} waits for their decision."));
        }

        if (WithdrawalPattern().IsMatch(text))
        {
            // "please cancel this, I fixed it myself": the team reads it, and the requester can take the request back now
            // rather than wait for an agent to resolve it (the card's button; what they wrote is passed on either way).
            turn.ReplyEphemeral(WithdrawOffer(ticket, $"The {ticket.Team} team has your message. If you no longer need this request, withdraw it here and the team stops working on it."));
        }
        else if (Acknowledgement.SaysFixed(text))
        {
            // "that fixed it, thanks!": the requester thinks it is done, but it stays open, its SLA clock running, until an
            // agent resolves it. One press closes it now; what they wrote is passed on either way.
            turn.ReplyEphemeral(new Card
            {
                Title = $"{ticket.Key}: close it?",
                Text = $"Glad it works. The {ticket.Team} team has your message; if nothing else is needed, close {ticket.Key} here.",
                Buttons = [TicketCards.FixedButton(ticket.Key)],
                Context = ticket.Key,
            });
        }

        if (ticket.Status == TicketStatus.WaitingOnRequester)
        {
            // The requester answered: the ticket is worked on again and its SLA clocks resume.
            var resume = ticket.Assignee is null ? TicketStatus.Open : TicketStatus.InProgress;
            await tickets.ChangeAsync(ticket.Key, (t, now) =>
                t.Status == TicketStatus.WaitingOnRequester ? [t.Record(QueueDesk.StatusEvent(t, now, turn.Person.Id, ActorKind.Requester, resume))] : [],
                cancellationToken: cancellationToken);
            foreach (var update in await publisher.PublishAsync(ticket.Key, cancellationToken))
            {
                turn.Add(update);
            }
        }

        return true;
    }

    /// <summary>
    /// The requester wrote while automation is on the ticket (a run in progress, an approval pending), so it has no queue
    /// thread: "my manager is on holiday, can someone else approve?" used to be answered with the ticket's card and seen by
    /// nobody. It goes to the team's queue channels, and the requester is told the team has it; the ticket stays with
    /// automation until an agent takes it. Thanks alone are left to the card (the handlers after this one).
    /// </summary>
    private async Task<bool> WhileAutomatedAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (Acknowledgement.IsThanksOrConfirmation(text))
        {
            return false;
        }

        var toChannel = await publisher.ToQueueAsync(ticket, QueueCards.FromRequesterWhileAutomated(ticket, turn.Person.DisplayName, text), cancellationToken, fallbackToChannel: true);
        var approversTold = await TellApproversAsync(turn, ticket, text, cancellationToken);
        if (toChannel.Count == 0 && approversTold.Count == 0)
        {
            return false;
        }

        foreach (var m in toChannel)
        {
            turn.Add(m);
        }

        var who = (toChannel.Count > 0 ? [$"The {ticket.Team} team"] : Array.Empty<string>()).Concat(approversTold).ToList();
        turn.Reply(TicketCards.Ticket(ticket, $"{Names(who)} {(who.Count == 1 ? "has" : "have")} your message. {ticket.Key} is {TicketCards.DescribeToRequester(ticket.Status).ToLowerInvariant()}."), ticket.Key);
        if (WithdrawalPattern().IsMatch(text))
        {
            // "never mind, I don't need it anymore" while an approval waits: as on a ticket people work on, one press takes
            // it back (the run is cancelled and the approvers' cards say so). Before, only the team and the approver read it.
            turn.ReplyEphemeral(WithdrawOffer(ticket, $"If you no longer need this request, withdraw it here: {(ticket.Status == TicketStatus.PendingApproval ? "nothing is left waiting for approval and " : "")}the automation stops."));
        }

        return true;
    }

    private static Card WithdrawOffer(Ticket ticket, string text) => new()
    {
        Title = $"{ticket.Key}: withdraw it?",
        Text = text,
        Buttons = [TicketCards.WithdrawButton(ticket.Key)],
        Context = ticket.Key,
    };

    /// <summary>
    /// While an approval waits, the approvers asked directly get the requester's message too: it may answer their question
    /// (<see cref="Approvals.ApprovalConversation"/>). Thanks alone are not passed on. Returns their names.
    /// </summary>
    private async Task<IReadOnlyList<string>> TellApproversAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken) =>
        approvers is null || Acknowledgement.IsThanksOrConfirmation(text) ? [] : await approvers.TellApproversAsync(turn, ticket, text, cancellationToken);

    /// <summary>"A", "A and B", "A, B and C".</summary>
    private static string Names(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    /// <summary>
    /// Someone other than the requester wrote in a thread of the ticket: an approver who may decide its waiting approval
    /// asks the requester (<see cref="Approvals.ApprovalConversation"/>); anyone else (a shared channel) is seen by the
    /// queue. Nothing is recorded.
    /// </summary>
    private async Task<bool> FromOtherAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (!ticket.IsOpen)
        {
            return false;
        }

        // An approver writing in the thread of the approval card sent to them: a question for the requester.
        if (approvers is not null && await approvers.TryAskRequesterAsync(turn, ticket, text, cancellationToken))
        {
            return true;
        }

        var toQueue = await publisher.ToQueueAsync(ticket, QueueCards.FromRequester(ticket, turn.Person.DisplayName, text), cancellationToken);
        foreach (var m in toQueue)
        {
            turn.Add(m);
        }

        return toQueue.Count > 0;
    }

    /// <summary>
    /// True when an earlier run of this turn reopened the ticket or opened it as a follow-up: the turn's messages are made
    /// again from what that run recorded, and nothing is recorded twice.
    /// </summary>
    private async Task<bool> ReplayedAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (ticket.ReopenCount > 0 && (await tickets.RecordedByAsync(ticket, turn.Inbound, cancellationToken)).Any(e => e.Type == EventType.Reopened))
        {
            await ReopenedAsync(turn, ticket, text, cancellationToken);
            return true;
        }

        if (await tickets.OpenedByAsync(ticket, turn.Inbound, cancellationToken)
            && (await log.ReadTicketAsync(ticket.Key, cancellationToken)).FirstOrDefault(e => e.Type == EventType.Created)?.Get(QueueEventData.LinkedTo) is { } oldKey
            && await store.GetAsync(oldKey, cancellationToken) is { } old)
        {
            await FollowedUpAsync(turn, old, ticket, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>Whether the requester's reply reopens the ticket (a resolved one within the reopen window) rather than opening a follow-up.</summary>
    private bool Reopenable(Ticket ticket, DateTimeOffset now) =>
        ticket.Status == TicketStatus.Resolved && ticket.ResolvedAt is { } resolvedAt && now - resolvedAt <= options.Value.ReopenWindow;

    /// <summary>The requester thanked or confirmed a fix on a resolved or closed ticket: the team sees it, nothing changes.</summary>
    private async Task AcknowledgedAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        var card = QueueCards.FromRequester(ticket, turn.Person.DisplayName, text) with
        {
            Context = $"{ticket.Key} stays {TicketCards.Describe(ticket.Status).ToLowerInvariant()}; nothing to do",
        };
        foreach (var m in await publisher.ToQueueAsync(ticket, card, cancellationToken))
        {
            turn.Add(m);
        }

        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key,
            Reopenable(ticket, turn.Now)
                ? $"Glad it's sorted. If it breaks again, press Not fixed or tell me here what is wrong, and {ticket.Key} reopens."
                : $"Glad it's sorted. If something is wrong again, tell me here and I'll open a new request linked to {ticket.Key}."));
    }

    private async Task ReopenAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        (ticket, _) = await tickets.ChangeAsync(turn, ticket.Key, (t, now) =>
        [
            t.Record(TicketEvent.New(t.Key, EventType.Reopened, now, turn.Person.Id, ActorKind.Requester,
                new Dictionary<string, string> { [EventData.Note] = TicketCards.Shorten(text, 500) })),
        ], cancellationToken);
        await ReopenedAsync(turn, ticket, text, cancellationToken);
    }

    /// <summary>What the requester and the queue are told once the requester's message reopened the ticket.</summary>
    private async Task ReopenedAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        turn.Reply(QueueCards.Notice(ticket.Key, $"{ticket.Key} is open again and the {ticket.Team} team has your message."), ticket.Key);
        foreach (var update in await publisher.PublishAsync(ticket.Key, cancellationToken))
        {
            turn.Add(update);
        }

        foreach (var m in await publisher.ToQueueAsync(ticket, QueueCards.FromRequester(ticket, turn.Person.DisplayName, $"Reopened: {text}"), cancellationToken))
        {
            turn.Add(m);
        }
    }

    private async Task FollowUpAsync(Turn turn, Ticket old, string text, CancellationToken cancellationToken)
    {
        var triaged = triage.Classify(text);
        var ticket = await tickets.OpenAsync(
            new OpenTicket(old.Team, old.Category, triaged.Priority, turn.Person.Id, TicketCards.Shorten($"Follow-up to {old.Key}: {text}", 200), turn.ReplyThread)
            {
                Extra = new Dictionary<string, string> { [QueueEventData.LinkedTo] = old.Key },
                Delivery = turn.Inbound.PlatformId,
            },
            cancellationToken: cancellationToken);
        if (awaited is not null)
        {
            await awaited.OpenedAsync(turn, ticket, cancellationToken);
        }

        await FollowedUpAsync(turn, old, ticket, cancellationToken);
    }

    /// <summary>What the requester and the queue are told once the requester's message opened a follow-up to an old ticket.</summary>
    private async Task FollowedUpAsync(Turn turn, Ticket old, Ticket ticket, CancellationToken cancellationToken)
    {
        var why = old.Status == TicketStatus.Closed ? "is closed" : $"was resolved more than {QueueCards.Describe(options.Value.ReopenWindow)} ago";
        turn.Receipt(TicketCards.Ticket(ticket, $"{old.Key} {why}, so this is a new request, {ticket.Key}, linked to it."), ticket.Key);
        foreach (var post in await publisher.PublishAsync(ticket.Key, cancellationToken))
        {
            turn.Add(post);
        }
    }

    /// <summary>A requester saying they no longer need the request ("cancel this", "never mind", "I fixed it myself, close it").</summary>
    [GeneratedRegex(@"\b(cancel|withdraw|no longer need|(do not|don'?t|dont) need (it|this|that)|not needed|never ?mind|(fixed|sorted|solved) it myself|close (it|this|the ticket|my ticket|the request|my request))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithdrawalPattern();
}
