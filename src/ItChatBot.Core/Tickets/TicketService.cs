using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// Opens tickets and records what happens to them. Every change is decided against the current
/// projection and appended with that version expected, so two concurrent changes never both pass a check
/// that only one of them may.
/// </summary>
/// <remarks>
/// A change that moves what the requester's receipt shows also replaces that card in place (<see cref="RequesterCard"/>),
/// in the same write as the events, whoever made the change: an agent, a workflow, the SLA monitor.
/// </remarks>
public sealed class TicketService(IEventLog log, ITicketStore tickets, SupportTeams teams, TimeProvider clock, RequesterCard requesterCard)
{
    /// <summary>
    /// How often a change is decided again after another writer changed the ticket between its read and its append. Two
    /// writers busy on one ticket (two workflow runs, an agent beside a run) lose to each other about every other round,
    /// so three attempts failed a change about one time in eight; ten leave about one in a thousand.
    /// </summary>
    private const int Attempts = 10;
    private static readonly TimeSpan ReplaySlack = TimeSpan.FromMinutes(1);

    public async Task<Ticket> OpenAsync(OpenTicket request, IReadOnlyList<OutboundMessage>? outbox = null, CancellationToken cancellationToken = default)
    {
        var team = teams.Get(request.Team);
        var priority = Priority.Parse(request.Priority);
        var number = await tickets.NextNumberAsync(team.KeyPrefix, cancellationToken);
        var key = new TicketKey(team.KeyPrefix, number).ToString();
        var data = new Dictionary<string, string>
        {
            [EventData.Team] = team.Name,
            [EventData.Category] = request.Category,
            [EventData.Priority] = priority,
            [EventData.Requester] = request.Requester,
            [EventData.Channel] = request.Origin.Channel,
            [EventData.Conversation] = request.Origin.ConversationId,
            [EventData.Subject] = request.Subject,
        };
        if (request.Origin.ThreadId is { } thread)
        {
            data[EventData.Thread] = thread;
        }

        if (request.Delivery is { } delivery)
        {
            data[EventData.Delivery] = delivery;
        }

        foreach (var (name, value) in request.Extra ?? new Dictionary<string, string>())
        {
            data.TryAdd(name, value);
        }

        var created = TicketEvent.New(key, EventType.Created, clock.GetUtcNow(), request.Requester, ActorKind.Requester, data);
        var ticket = new Ticket();
        ticket.Record(created);
        // The log links the request's thread to the ticket as it stores the creation (see ITicketStore).
        await log.AppendAsync([created], outbox, new ExpectedVersion(key, 0), cancellationToken);

        return ticket;
    }

    public async Task<Ticket> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!TicketKey.TryParse(key, out var parsed))
        {
            throw new DomainException($"'{key}' is not a ticket key; keys look like IT-42.");
        }

        return await tickets.GetAsync(parsed.ToString(), cancellationToken)
            ?? throw new DomainException($"There is no ticket {parsed}.");
    }

    /// <summary>
    /// Loads the ticket, lets <paramref name="decide"/> record events on it (each checked by <see cref="Ticket.Record"/>),
    /// and appends them with <paramref name="outbox"/> in one transaction. Retries from a fresh load when the
    /// ticket changed meanwhile.
    /// </summary>
    public Task<(Ticket Ticket, IReadOnlyList<TicketEvent> Events)> ChangeAsync(
        string key,
        Func<Ticket, DateTimeOffset, IEnumerable<TicketEvent>> decide,
        Func<Ticket, IReadOnlyList<OutboundMessage>>? outbox = null,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(loaded: null, key, decide, outbox, cancellationToken);

    /// <summary>The change loop; its first attempt decides against <paramref name="loaded"/> when the caller has just read the ticket.</summary>
    private async Task<(Ticket Ticket, IReadOnlyList<TicketEvent> Events)> ChangeAsync(
        Ticket? loaded,
        string key,
        Func<Ticket, DateTimeOffset, IEnumerable<TicketEvent>> decide,
        Func<Ticket, IReadOnlyList<OutboundMessage>>? outbox,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ticket = attempt == 1 && loaded is not null ? loaded : await GetAsync(key, cancellationToken);
            var version = ticket.EventCount;
            var shown = RequesterCard.Shown(ticket);
            var events = decide(ticket, clock.GetUtcNow()).ToList();
            if (events.Count == 0)
            {
                return (ticket, events);
            }

            IReadOnlyList<OutboundMessage>? messages = outbox?.Invoke(ticket);
            if (shown != RequesterCard.Shown(ticket) && await requesterCard.UpdateAsync(ticket, events, cancellationToken) is { } update)
            {
                messages = [.. messages ?? [], update];
            }

            try
            {
                await log.AppendAsync(events, messages, new ExpectedVersion(ticket.Key, version), cancellationToken);
                return (ticket, events);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// <see cref="ChangeAsync(string, Func{Ticket, DateTimeOffset, IEnumerable{TicketEvent}}, Func{Ticket, IReadOnlyList{OutboundMessage}}?, CancellationToken)"/>
    /// for a turn: each event recorded carries the turn's delivery (<see cref="EventData.Delivery"/>). A turn runs again
    /// when the process stopped after its writes and before its completion (the delivery is then still pending in the
    /// inbox, and none of the turn's messages was sent). When the delivery already changed the ticket, the events it
    /// recorded are returned with the ticket as it is: nothing is decided or recorded again, and the turn says what its
    /// first run would have.
    /// </summary>
    public async Task<(Ticket Ticket, IReadOnlyList<TicketEvent> Events)> ChangeAsync(
        Turn turn,
        string key,
        Func<Ticket, DateTimeOffset, IEnumerable<TicketEvent>> decide,
        CancellationToken cancellationToken = default)
    {
        var ticket = await GetAsync(key, cancellationToken);
        if (await RecordedByAsync(ticket, turn.Inbound, cancellationToken) is { Count: > 0 } recorded)
        {
            return (ticket, recorded);
        }

        var delivery = turn.Inbound.PlatformId;
        return await ChangeAsync(
            ticket,
            key,
            (t, now) => decide(t, now).Select(e => e with { Data = new Dictionary<string, string>(e.Data) { [EventData.Delivery] = delivery } }),
            outbox: null,
            cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="delivery"/> opened the ticket (its creation is linked to the delivery; see
    /// <see cref="OpenTicket.Delivery"/>): true when a turn that runs again after a stop finds the ticket its first run opened.
    /// A ticket created before the delivery was received was not, and is not looked up.
    /// </summary>
    public async Task<bool> OpenedByAsync(Ticket ticket, Inbound delivery, CancellationToken cancellationToken = default) =>
        ticket.CreatedAt >= delivery.ReceivedAt - ReplaySlack
        && await tickets.FindTicketByDeliveryAsync(delivery.PlatformId, cancellationToken) == ticket.Key;

    /// <summary>
    /// The changes <paramref name="delivery"/> recorded on the ticket, oldest first (a creation linked to it is not one).
    /// A ticket unchanged since before the delivery was received holds none, so its events are read only when it changed
    /// since then, with a minute's slack for the clocks of other instances.
    /// </summary>
    public async Task<IReadOnlyList<TicketEvent>> RecordedByAsync(Ticket ticket, Inbound delivery, CancellationToken cancellationToken = default)
    {
        if (ticket.UpdatedAt < delivery.ReceivedAt - ReplaySlack)
        {
            return [];
        }

        return [.. (await log.ReadTicketAsync(ticket.Key, cancellationToken))
            .Where(e => e.Type != EventType.Created && e.Get(EventData.Delivery) == delivery.PlatformId)];
    }
}

public sealed record OpenTicket(string Team, string Category, string Priority, string Requester, string Subject, ConversationRef Origin)
{
    /// <summary>More data for the <c>Created</c> event (e.g. the ticket a follow-up is linked to); never overrides the fields above.</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    /// <summary>
    /// The platform id of the delivery that asks for the ticket, when that delivery has no message of its own for the
    /// request's thread (a slash command, a button press, a form). The log links it to the ticket as it stores the
    /// creation, so a delivery that runs again finds the ticket it opened
    /// (<see cref="Storage.ITicketStore.FindTicketByDeliveryAsync"/>).
    /// </summary>
    public string? Delivery { get; init; }
}
