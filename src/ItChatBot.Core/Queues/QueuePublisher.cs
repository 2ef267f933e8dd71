using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Puts tickets that need a human on their team's queue channels (web always; Slack and Teams when the team
/// names a channel there), keeps those cards current, and knows the queue threads a ticket's messages go to.
/// A new post is stored with its cards in the outbox, in one write (see <see cref="IQueueStore.TryAddPostAsync"/>);
/// everything else it returns as messages rather than sending them, so a turn adds them to its replies and a
/// background pass appends them with its events.
/// </summary>
public sealed class QueuePublisher(
    SupportTeams teams,
    IQueueStore store,
    ITicketStore tickets,
    IEventLog log,
    IOutbox outbox,
    IDirectory directory,
    SlaView sla,
    OutboxSignal signal,
    TimeProvider clock,
    IEnumerable<IChannelSender> senders)
{
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Posts the ticket's card to its current team's queue channels if it needs a human and that team has no card for
    /// it yet. The cards are in the outbox when this returns (stored with the post); the answer lists them, and is empty
    /// when nothing was posted.
    /// </summary>
    /// <param name="evenIfAutomated">
    /// Post it also when the ticket needs no human yet (automation is on it, or it is resolved): something about it is for
    /// the team to read (<see cref="ToQueueAsync"/> with <c>fallbackToChannel</c>), and it goes in the card's thread.
    /// </param>
    public async Task<IReadOnlyList<OutboundMessage>> EnsurePostedAsync(Ticket ticket, IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken, bool evenIfAutomated = false)
    {
        if ((!evenIfAutomated && !QueueRules.NeedsHuman(ticket, events)) || teams.Find(ticket.Team) is not { } team || !ChannelsOf(team).Any())
        {
            return [];
        }

        // The insert below is the guard; this only saves building a card for a ticket that has one.
        if ((await store.PostsOfAsync(ticket.Key, cancellationToken)).Any(p => string.Equals(p.Team, team.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var card = await CardAsync(ticket, events, cancellationToken);
        var messages = ChannelsOf(team)
            .Select(pair => new OutboundMessage
            {
                Id = QueueIds.PostMessage(ticket.Key, team.Name, pair.Key),
                Conversation = new ConversationRef(pair.Key, pair.Value, pair.Key == Channels.Web ? QueueIds.WebThread(ticket.Key, team.Name) : null),
                Card = card,
                Ticket = ticket.Key,
                CreatedAt = now,
            })
            .ToList();
        var post = new QueuePost(ticket.Key, team.Name, now,
            [.. messages.Select(m => new QueuePostMessage(m.Conversation.Channel, m.Conversation.ConversationId, m.Id, m.Conversation.ThreadId))]);
        // The store links the threads the post's messages open to the ticket, and enqueues the messages, in the same write.
        if (!await store.TryAddPostAsync(post, messages, cancellationToken))
        {
            return [];
        }

        signal.Notify();
        return messages;
    }

    /// <summary>
    /// <see cref="EnsurePostedAsync(Ticket, IReadOnlyList{TicketEvent}, CancellationToken, bool)"/> for a ticket some work
    /// just touched (a turn, a resumed workflow run): nothing when it is closed or gone.
    /// </summary>
    public async Task<IReadOnlyList<OutboundMessage>> EnsurePostedAsync(string key, CancellationToken cancellationToken) =>
        await tickets.GetAsync(key, cancellationToken) is { IsOpen: true } ticket
            ? await EnsurePostedAsync(ticket, await log.ReadTicketAsync(key, cancellationToken), cancellationToken)
            : [];

    /// <summary>
    /// The ticket's card replaced in place everywhere it was posted before, as messages to send. Where it needs to be
    /// and is not yet, it is posted here and now (<see cref="EnsurePostedAsync"/>: those cards are in the outbox
    /// already, and not in the answer).
    /// </summary>
    public async Task<IReadOnlyList<OutboundMessage>> PublishAsync(string key, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(key, cancellationToken) ?? throw new DomainException($"There is no ticket {key}.");
        var events = await log.ReadTicketAsync(key, cancellationToken);
        var posted = await EnsurePostedAsync(ticket, events, cancellationToken);
        var postedIds = posted.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var card = await CardAsync(ticket, events, cancellationToken);
        var updates = new List<OutboundMessage>();
        foreach (var post in await store.PostsOfAsync(key, cancellationToken))
        {
            var current = string.Equals(post.Team, ticket.Team, StringComparison.OrdinalIgnoreCase);
            foreach (var message in post.Messages.Where(m => !postedIds.Contains(m.OutboundId)))
            {
                updates.Add(new OutboundMessage
                {
                    Id = NewId.Next(),
                    Conversation = new ConversationRef(message.Channel, message.ConversationId, message.Channel == Channels.Web ? message.ThreadId : null),
                    Card = current ? card : QueueCards.Moved(ticket, post.Team),
                    Ticket = key,
                    UpdateOf = message.OutboundId,
                    CreatedAt = now,
                });
            }
        }

        return updates;
    }

    /// <summary>
    /// The threads under the ticket's card in its current team's queue, each with the card's outbox id: a card Slack or
    /// Teams has not been sent yet has no thread id, and a message for its thread names the card instead
    /// (<see cref="OutboundMessage.InThreadOf"/>).
    /// </summary>
    private async Task<IReadOnlyList<(ConversationRef Thread, string Card)>> QueueThreadsAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var threads = new List<(ConversationRef, string)>();
        foreach (var post in await store.PostsOfAsync(ticket.Key, cancellationToken))
        {
            if (!string.Equals(post.Team, ticket.Team, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var linked = await LinkAsync(post, cancellationToken);
            threads.AddRange(linked.Messages.Select(m => (new ConversationRef(m.Channel, m.ConversationId, m.ThreadId), m.OutboundId)));
        }

        return threads;
    }

    /// <summary>Messages for the queue threads of the ticket's current team.</summary>
    /// <param name="fallbackToChannel">
    /// When the ticket has no card in its queue (automation is on it, or it was resolved without a person), post its card
    /// first, and the message in the card's thread. Before, each such message went to the queue channel on its own: a
    /// requester writing three times while an approval was pending made three posts at the channel's top, with no card
    /// to act on.
    /// </param>
    public async Task<IReadOnlyList<OutboundMessage>> ToQueueAsync(Ticket ticket, Card card, CancellationToken cancellationToken, bool fallbackToChannel = false)
    {
        var now = clock.GetUtcNow();
        var threads = await QueueThreadsAsync(ticket, cancellationToken);
        if (threads.Count == 0 && fallbackToChannel)
        {
            // Read again whether this posted the card or another turn did meanwhile.
            await EnsurePostedAsync(ticket, await log.ReadTicketAsync(ticket.Key, cancellationToken), cancellationToken, evenIfAutomated: true);
            threads = await QueueThreadsAsync(ticket, cancellationToken);
        }

        return [.. threads.Select(t => new OutboundMessage
        {
            Id = NewId.Next(),
            Conversation = t.Thread,
            Card = card,
            Ticket = ticket.Key,
            InThreadOf = t.Thread.ThreadId is null ? t.Card : null,
            CreatedAt = now,
        })];
    }

    /// <summary>Where the requester talks about the ticket: the thread it was opened from.</summary>
    public static ConversationRef? RequesterThread(Ticket ticket) =>
        ticket.Conversation is null ? null : new ConversationRef(ticket.Channel, ticket.Conversation, ticket.Thread);

    /// <summary>Whether the conversation is a support team's queue channel.</summary>
    /// <summary>
    /// The ticket a thread belongs to: the requester's thread, a queue thread (including one whose platform id came back
    /// after the card was stored, linked here first: <see cref="LinkPendingThreadsAsync"/>), or in the web chat the thread
    /// under a ticket's card (<see cref="WebCardThreadTicketAsync"/>).
    /// </summary>
    public async Task<string?> TicketOfThreadAsync(ConversationRef thread, CancellationToken cancellationToken)
    {
        var key = await tickets.FindTicketByThreadAsync(thread, cancellationToken);
        if (key is null && thread.Channel == Channels.Web)
        {
            return await WebCardThreadTicketAsync(thread, cancellationToken);
        }

        return key is null && IsQueueConversation(thread) && await LinkPendingThreadsAsync(cancellationToken) > 0
            ? await tickets.FindTicketByThreadAsync(thread, cancellationToken)
            : key;
    }

    /// <summary>
    /// In the web chat, a ticket's card posted at the top of a conversation (an approval request in the approver's direct
    /// messages, a requester's answer passed to them) starts that ticket's thread, as Slack links the thread of such a card
    /// (<c>SlackChannelSender</c>): the thread's id is the card's outbox id, which the web chat shows as the card's id.
    /// Read from the outbox rather than linked when the card is sent, so a reply written before the outbox marks it sent
    /// finds it too. Before, such a card had no thread: "why does she need GitHub?" under Dave's approval card opened a
    /// request of Dave's own.
    /// </summary>
    private async Task<string?> WebCardThreadTicketAsync(ConversationRef thread, CancellationToken cancellationToken) =>
        thread.ThreadId is { } id && await outbox.GetMessageAsync(id, cancellationToken) is { Message: { Ticket: { } key, EphemeralTo: null } card }
            && card.Conversation.Channel == Channels.Web && card.Conversation.ConversationId == thread.ConversationId && card.Conversation.ThreadId is null
            ? key
            : null;

    public bool IsQueueConversation(ConversationRef conversation) =>
        teams.All.Any(t => ChannelsOf(t).Any(pair => pair.Key == conversation.Channel && pair.Value == conversation.ConversationId));

    /// <summary>The team's queue channels that are set: the sample leaves Slack and Teams empty until they are switched on.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ChannelsOf(SupportTeam team) =>
        team.QueueChannels.Where(pair => !string.IsNullOrWhiteSpace(pair.Value));

    /// <summary>Links the threads of cards that were sent since (Slack and Teams give the thread id only when the card is sent).</summary>
    public async Task<int> LinkPendingThreadsAsync(CancellationToken cancellationToken)
    {
        var linked = 0;
        foreach (var post in await store.UnlinkedPostsAsync(cancellationToken))
        {
            var after = await LinkAsync(post, cancellationToken);
            linked += after.Messages.Count(m => m.ThreadId is not null) - post.Messages.Count(m => m.ThreadId is not null);
        }

        return linked;
    }

    public Task<string> NameOfAsync(string personId, CancellationToken cancellationToken) => directory.NameOfAsync(personId, cancellationToken);

    public async Task<Card> CardAsync(Ticket ticket, IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken)
    {
        var note = QueueNotes.Latest(events) is { } latest ? $"{await NameOfAsync(latest.Actor, cancellationToken)}: {latest.Get(EventData.Note)}" : null;
        return QueueCards.Queue(ticket, await NameOfAsync(ticket.Requester, cancellationToken), await directory.AssigneeNameAsync(ticket, cancellationToken),
            sla.Describe(ticket, events, clock.GetUtcNow()), Approvals.WorkflowOverride.ActiveRun(events), QueueCards.AutomationFailure(events), note,
            Duplicates.Of(events));
    }

    private async Task<QueuePost> LinkAsync(QueuePost post, CancellationToken cancellationToken)
    {
        if (post.Messages.All(m => m.ThreadId is not null))
        {
            return post;
        }

        var messages = new List<QueuePostMessage>(post.Messages.Count);
        var changed = false;
        foreach (var message in post.Messages)
        {
            if (message.ThreadId is null && (await outbox.GetMessageAsync(message.OutboundId, cancellationToken))?.PlatformMessageId is { } platformId)
            {
                // The thread a reply names, which is not always the id the platform gave the card (Slack's is channel:ts).
                var thread = _senders.TryGetValue(message.Channel, out var sender) ? sender.ThreadOf(platformId) : platformId;
                var linked = message with { ThreadId = thread };
                await tickets.LinkThreadAsync(new ConversationRef(message.Channel, message.ConversationId, thread), post.Ticket, cancellationToken);
                messages.Add(linked);
                changed = true;
            }
            else
            {
                messages.Add(message);
            }
        }

        var updated = post with { Messages = messages };
        if (changed)
        {
            await store.UpdatePostAsync(updated, cancellationToken);
        }

        return updated;
    }
}
