using System.Globalization;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// What agents do to a ticket, shared by the <c>/it</c> verbs and the queue card's buttons: each checks who may,
/// records the events through <see cref="TicketService.ChangeAsync(Turn, string, Func{Ticket, DateTimeOffset, IEnumerable{TicketEvent}}, CancellationToken)"/>
/// (so a turn that runs again after a stop records nothing twice), updates the queue cards in place and tells
/// the requester in their own thread.
/// </summary>
public sealed class QueueDesk(
    TicketService tickets,
    IEventLog log,
    QueuePublisher publisher,
    SupportTeams teams,
    MentionResolver mentions,
    WorkflowOverride overrides,
    IOptions<QueueOptions> options,
    AwaitedAnswers? awaited = null)
{
    /// <summary>The ticket whose thread a command was given in (its queue thread), or null outside a ticket's thread.</summary>
    public async Task<string?> ThreadTicketAsync(Turn turn, CancellationToken cancellationToken) =>
        turn.Inbound.Conversation.ThreadId is null ? null : await publisher.TicketOfThreadAsync(turn.Inbound.Conversation, cancellationToken);

    public async Task ClaimAsync(Turn turn, string key, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        // Named in the refusal below as cards name people; read first, since the change itself cannot look anyone up.
        var holder = (await tickets.GetAsync(key, cancellationToken)).Assignee;
        var holderName = holder is null ? null : await publisher.NameOfAsync(holder, cancellationToken);
        var (ticket, events) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "claim");
            EnsureOpen(t, "claimed");
            if (t.Assignee == me.Id)
            {
                return [];
            }

            if (t.Assignee is { } other)
            {
                throw new DomainException($"{t.Key} is already claimed by {(other == holder ? holderName : other)}; to take it over, use /it assign {t.Key} @{me.Id}.");
            }

            return AssignEvents(t, now, me.Id, me.Id);
        }, cancellationToken);
        if (events.Count == 0)
        {
            turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is already yours."));
            return;
        }

        await AnnounceAsync(turn, ticket, $"{me.DisplayName} claimed {ticket.Key}.",
            $"{me.DisplayName} from the {ticket.Team} team is now working on your request.", cancellationToken);
    }

    public async Task AssignAsync(Turn turn, string key, string mention, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var assignee = await mentions.ResolveAsync(turn.Inbound.Conversation.Channel, mention, cancellationToken);
        var (ticket, events) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "assign");
            EnsureOpen(t, "assigned");
            if (!assignee.IsAgentOf(t.Team))
            {
                throw new DomainException($"{assignee.DisplayName} is not an agent of the {t.Team} team, so {t.Key} cannot be assigned to them.");
            }

            return t.Assignee == assignee.Id ? [] : AssignEvents(t, now, me.Id, assignee.Id);
        }, cancellationToken);
        if (events.Count == 0)
        {
            turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is already assigned to {assignee.DisplayName}."));
            return;
        }

        await AnnounceAsync(turn, ticket, $"{me.DisplayName} assigned {ticket.Key} to {assignee.DisplayName}.",
            $"{assignee.DisplayName} from the {ticket.Team} team is now working on your request.", cancellationToken);
    }

    /// <summary><paramref name="target"/>: empty for the next tier, <c>L2</c>/<c>L3</c>, or another team's name.</summary>
    public async Task EscalateAsync(Turn turn, string key, string? target, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var wanted = target?.Trim() ?? "";
        var (ticket, events) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "escalate");
            EnsureOpen(t, "escalated");
            var by = new Dictionary<string, string> { [EventData.By] = me.Id };
            var tierIndex = Tiers.Rank(t.Tier);
            var wantedTier = wanted.Length == 0 ? null : Tiers.Named(wanted);
            if (wanted.Length == 0 || wantedTier is not null)
            {
                var to = wantedTier ?? (tierIndex >= 0 && tierIndex < Tiers.All.Count - 1 ? Tiers.All[tierIndex + 1] : null)
                    ?? throw new DomainException($"{t.Key} is already at {t.Tier}, the top tier; escalate it to another team instead (e.g. /it escalate {t.Key} Security).");
                return EscalateToTier(t, now, me.Id, ActorKind.Agent, to, by);
            }

            var team = teams.Find(wanted) ?? throw new DomainException(
                $"'{wanted}' is neither a tier (L2, L3) nor a team; the teams are {string.Join(", ", teams.All.Select(x => x.Name))}.");
            if (string.Equals(team.Name, t.Team, StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainException($"{t.Key} is already with the {t.Team} team.");
            }

            // A ticket arrives in another team's queue at its first tier, unassigned.
            return RecordEscalation(t, now, me.Id, ActorKind.Agent, Tiers.All[0], team.Name, by, id: null);
        }, cancellationToken);
        var escalated = events[0];
        var where = escalated.Get(EventData.ToTeam) != escalated.Get(EventData.FromTeam)
            ? $"the {ticket.Team} team"
            : $"{ticket.Team} {ticket.Tier}";
        await AnnounceAsync(turn, ticket, $"{me.DisplayName} escalated {ticket.Key} to {where}.",
            $"Your request has been passed to {where}, who will pick it up from here.", cancellationToken);
        var from = $"{escalated.Get(EventData.FromTeam)} {escalated.Get(EventData.FromTier)}";
        foreach (var message in await publisher.ToQueueAsync(ticket, QueueCards.Notice(ticket.Key, $"Escalated from {from} to {where} by {me.DisplayName}."), cancellationToken))
        {
            turn.Add(message);
        }
    }

    /// <summary>
    /// Resolves the ticket by the agent. A workflow still running on it is ended first, in the same write and exactly as
    /// <c>/it override KEY cancel</c> ends it (<c>Overridden</c> with <c>via: resolve</c>, then the run's end), so the log
    /// says the agent bypassed the automation and a reopen does not bring the run back.
    /// </summary>
    public async Task ResolveAsync(Turn turn, string key, string? note, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var running = await overrides.ActiveRunAsync(key, null, cancellationToken);
        var (ticket, events) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "resolve");
            var data = new Dictionary<string, string> { [EventData.By] = "agent" };
            if (!string.IsNullOrWhiteSpace(note))
            {
                data[EventData.Note] = note.Trim();
            }

            var endRun = running is null
                ? []
                : WorkflowOverride.EndRun(t, now, me.Id, running, WorkflowOverride.Cancel, $"resolved by the agent{(string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}")}", WorkflowOverride.ViaResolve);
            return [.. endRun, .. TakeUnassigned(t, now, me.Id, working: false), t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, me.Id, ActorKind.Agent, data))];
        }, cancellationToken);
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is resolved; the requester can say it is not fixed within {QueueCards.Describe(options.Value.ReopenWindow)}."));
        if (PublisherRequesterThread(ticket) is { } thread)
        {
            turn.Send(thread, QueueCards.Resolution(ticket, me.DisplayName, note, options.Value.ReopenWindow), ticket.Key);
        }

        await RefreshAsync(turn, ticket.Key, cancellationToken);
        if (events.FirstOrDefault(e => e.Type == EventType.Overridden) is { } overridden)
        {
            await overrides.RunEndedAsync(turn, overridden, "the workflow stops; the ticket is resolved by the agent", cancellationToken);
        }

        await TellDuplicatesAsync(turn, ticket, me.DisplayName, note, cancellationToken);
    }

    /// <summary>
    /// The requester says their request is fixed ("That fixed it" on an agent's reply, or on the question that follows
    /// "works now, thanks" in its thread): it is resolved by them, <c>by: requester</c>, as a Jira Service Management
    /// customer resolves a request from the portal, rather than left open, its SLA clock running, until an agent next
    /// looks. The queue hears of it, tickets resolved as its duplicates are told, and it can reopen within the reopen
    /// window like any resolution. Only the requester may; a ticket automation is still working on is refused (the
    /// requester can withdraw it).
    /// </summary>
    public async Task ConfirmFixedAsync(Turn turn, string key, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        if (await overrides.ActiveRunAsync(key, null, cancellationToken) is not null)
        {
            throw new DomainException($"Automation is still working on {key}, so it is not resolved yet. If you no longer need it, withdraw it with \"I no longer need this\".");
        }

        var (ticket, _) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            if (me.Id != t.Requester)
            {
                throw new DomainException($"Only the requester can say {t.Key} is fixed.");
            }

            if (!t.IsOpen)
            {
                throw new DomainException($"{t.Key} is {TicketCards.Describe(t.Status).ToLowerInvariant()} already. If it is not fixed, say so in its thread.");
            }

            return
            [
                t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, me.Id, ActorKind.Requester, new Dictionary<string, string>
                {
                    [EventData.By] = "requester",
                    [EventData.Note] = ConfirmedFixed,
                })),
            ];
        }, cancellationToken);
        turn.Reply(TicketCards.Ticket(ticket, $"Resolved: thanks for confirming it's fixed. If it breaks again within {QueueCards.Describe(options.Value.ReopenWindow)}, say so here and {ticket.Key} reopens.",
            ticket.Assignee is { } assignee ? await publisher.NameOfAsync(assignee, cancellationToken) : null), ticket.Key);
        foreach (var message in await publisher.ToQueueAsync(ticket, QueueCards.Notice(ticket.Key, $"{me.DisplayName} confirmed {ticket.Key} is fixed, so it is resolved."), cancellationToken))
        {
            turn.Add(message);
        }

        await RefreshAsync(turn, ticket.Key, cancellationToken);
        await TellDuplicatesAsync(turn, ticket, me.DisplayName, "its requester confirmed it is fixed", cancellationToken);
    }

    /// <summary>The note of a resolution by a requester who confirmed the fix (a withdrawal's is "withdrawn by the requester").</summary>
    public const string ConfirmedFixed = "confirmed fixed by the requester";

    /// <summary>
    /// Resolves <paramref name="key"/> as a duplicate of <paramref name="originalKey"/>, an open ticket of the same team: the
    /// original records <c>DuplicateLinked</c> (so its card lists the duplicate, and its resolution is told to the
    /// duplicate's requester), then the duplicate is <c>Resolved</c> with <c>duplicateOf</c>, and its requester is told why.
    /// A ticket with a workflow running, with duplicates of its own, or the original itself is refused.
    /// </summary>
    public async Task DuplicateAsync(Turn turn, string key, string originalKey, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var duplicate = await tickets.GetAsync(key, cancellationToken);
        var original = await tickets.GetAsync(originalKey, cancellationToken);
        AgentGuard.EnsureAgentOf(me, duplicate, "resolve");
        // A turn run again after a stop finds the duplicate resolved by its first run: the checks were passed then.
        if ((await tickets.RecordedByAsync(duplicate, turn.Inbound, cancellationToken)).Count == 0)
        {
            await EnsureCanBeDuplicateAsync(duplicate, original, cancellationToken);
        }

        // The link first: a stop between the two writes leaves a link to a ticket that is still open, which the original's
        // resolution passes over (Duplicates.DuplicateOf), and the command can be given again.
        (original, _) = await tickets.ChangeAsync(turn, original.Key, (t, now) =>
        [
            t.Record(TicketEvent.New(t.Key, EventType.DuplicateLinked, now, me.Id, ActorKind.Agent,
                new Dictionary<string, string> { [QueueEventData.Duplicate] = duplicate.Key })),
        ], cancellationToken);
        (duplicate, _) = await tickets.ChangeAsync(turn, duplicate.Key, (t, now) =>
        {
            EnsureOpen(t, "resolved as a duplicate");
            return [t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, me.Id, ActorKind.Agent, new Dictionary<string, string>
            {
                [EventData.By] = "agent",
                [EventData.Note] = $"duplicate of {original.Key}",
                [QueueEventData.DuplicateOf] = original.Key,
            }))];
        }, cancellationToken);

        turn.ReplyEphemeral(QueueCards.Notice(duplicate.Key, $"{duplicate.Key} is resolved as a duplicate of {original.Key}; its requester is told when {original.Key} is resolved."));
        if (PublisherRequesterThread(duplicate) is { } thread)
        {
            turn.Send(thread, QueueCards.ResolvedAsDuplicate(duplicate, original, me.DisplayName), duplicate.Key);
        }

        var requester = await publisher.NameOfAsync(duplicate.Requester, cancellationToken);
        foreach (var message in await publisher.ToQueueAsync(original, QueueCards.Notice(original.Key, $"{requester} reported the same problem in {duplicate.Key}, resolved as a duplicate of this one by {me.DisplayName}."), cancellationToken))
        {
            turn.Add(message);
        }

        await RefreshAsync(turn, duplicate.Key, cancellationToken);
        await RefreshAsync(turn, original.Key, cancellationToken);
    }

    private async Task EnsureCanBeDuplicateAsync(Ticket duplicate, Ticket original, CancellationToken cancellationToken)
    {
        if (duplicate.Key == original.Key)
        {
            throw new DomainException($"{duplicate.Key} cannot be a duplicate of itself.");
        }

        if (!string.Equals(duplicate.Team, original.Team, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"{duplicate.Key} is with the {duplicate.Team} team and {original.Key} with {original.Team}; escalate {duplicate.Key} to {original.Team} first.");
        }

        EnsureOpen(duplicate, "resolved as a duplicate");
        if (!original.IsOpen)
        {
            throw new DomainException($"{original.Key} is {TicketCards.Describe(original.Status).ToLowerInvariant()}; resolve {duplicate.Key} on its own, or reopen {original.Key} first.");
        }

        if (await overrides.ActiveRunAsync(duplicate.Key, null, cancellationToken) is not null)
        {
            throw new DomainException($"A workflow is running on {duplicate.Key}; cancel it first (/it override {duplicate.Key} cancel).");
        }

        // A duplicate's requester waits for an agent's fix of the original; a workflow's end (an access granted, an
        // approval denied) is no answer to their problem.
        if (await overrides.ActiveRunAsync(original.Key, null, cancellationToken) is not null)
        {
            throw new DomainException($"A workflow is running on {original.Key}, so its end would not fix {duplicate.Key}'s problem; resolve {duplicate.Key} on its own, or cancel the workflow first (/it override {original.Key} cancel).");
        }

        if (Duplicates.Of(await log.ReadTicketAsync(duplicate.Key, cancellationToken)).Count > 0)
        {
            throw new DomainException($"Other tickets are duplicates of {duplicate.Key}; resolve {original.Key} as a duplicate of {duplicate.Key} instead, or resolve both.");
        }
    }

    /// <summary>Tells the requester of each ticket still resolved as a duplicate of <paramref name="original"/> that it is resolved.</summary>
    private async Task TellDuplicatesAsync(Turn turn, Ticket original, string by, string? note, CancellationToken cancellationToken)
    {
        foreach (var duplicate in await WaitingDuplicatesAsync(original.Key, cancellationToken))
        {
            if (PublisherRequesterThread(duplicate) is { } thread)
            {
                turn.Send(thread, QueueCards.OriginalResolved(duplicate, original, by, note), duplicate.Key);
            }
        }
    }

    /// <summary>
    /// After <paramref name="original"/>'s own requester withdrew it: the tickets still resolved as its duplicates wait for a
    /// fix nobody is working on now, so its queue thread names them for an agent to reopen. Their requesters are not told
    /// anything yet; the agent decides whether the problem still stands.
    /// </summary>
    public async Task OriginalWithdrawnAsync(Turn turn, Ticket original, CancellationToken cancellationToken)
    {
        var waiting = await WaitingDuplicatesAsync(original.Key, cancellationToken);
        if (waiting.Count == 0)
        {
            return;
        }

        var keys = string.Join(", ", waiting.Select(t => t.Key));
        var text = $"{turn.Person.DisplayName} withdrew {original.Key}, but {keys} {(waiting.Count == 1 ? "was" : "were")} resolved as {(waiting.Count == 1 ? "a duplicate" : "duplicates")} of it "
            + $"and {(waiting.Count == 1 ? "its requester is" : "their requesters are")} waiting for its fix. Reopen {(waiting.Count == 1 ? "it" : "them")} if the problem still stands (/it reopen {waiting[0].Key}).";
        foreach (var message in await publisher.ToQueueAsync(original, QueueCards.Notice(original.Key, text), cancellationToken, fallbackToChannel: true))
        {
            turn.Add(message);
        }
    }

    /// <summary>The tickets resolved as duplicates of <paramref name="originalKey"/> and not reopened since, in link order.</summary>
    private async Task<List<Ticket>> WaitingDuplicatesAsync(string originalKey, CancellationToken cancellationToken)
    {
        var waiting = new List<Ticket>();
        foreach (var key in Duplicates.Of(await log.ReadTicketAsync(originalKey, cancellationToken)))
        {
            var duplicate = await tickets.GetAsync(key, cancellationToken);
            if (Duplicates.DuplicateOf(duplicate, await log.ReadTicketAsync(key, cancellationToken)) == originalKey)
            {
                waiting.Add(duplicate);
            }
        }

        return waiting;
    }

    /// <summary>Reopens a resolved ticket: its team's agents at any time, its requester within the reopen window.</summary>
    public async Task ReopenAsync(Turn turn, string key, string? note, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var window = options.Value.ReopenWindow;
        var (ticket, _) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            var isAgent = me.IsAgentOf(t.Team);
            if (!isAgent && me.Id != t.Requester)
            {
                throw new DomainException($"Only {t.Key}'s requester and the agents of the {t.Team} team can reopen it.");
            }

            if (!isAgent && t.ResolvedAt is { } resolvedAt && now - resolvedAt > window)
            {
                throw new DomainException($"{t.Key} was resolved more than {QueueCards.Describe(window)} ago, so it cannot be reopened; reply in its thread to open a follow-up request.");
            }

            var data = new Dictionary<string, string>();
            if (!string.IsNullOrWhiteSpace(note))
            {
                data[EventData.Note] = note.Trim();
            }

            return [t.Record(TicketEvent.New(t.Key, EventType.Reopened, now, me.Id, isAgent ? ActorKind.Agent : ActorKind.Requester, data))];
        }, cancellationToken);
        var isRequester = me.Id == ticket.Requester;
        if (isRequester)
        {
            turn.Reply(QueueCards.Notice(ticket.Key, $"{ticket.Key} is open again; the {ticket.Team} team has been told."), ticket.Key);
        }
        else
        {
            turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is open again."));
            if (PublisherRequesterThread(ticket) is { } thread)
            {
                turn.Send(thread, QueueCards.Notice(ticket.Key, $"{me.DisplayName} reopened your request."), ticket.Key);
            }
        }

        var said = string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";
        foreach (var message in await publisher.ToQueueAsync(ticket, QueueCards.Notice(ticket.Key, $"Reopened by {me.DisplayName}{said}"), cancellationToken))
        {
            turn.Add(message);
        }

        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    /// <param name="question">
    /// What the requester is to answer, sent to them as the agent's reply (a <c>Responded</c>, so it is a first response
    /// too); with none, they are only told the agent waits for their answer. A question on a ticket already waiting is
    /// still sent.
    /// </param>
    public async Task WaitAsync(Turn turn, string key, string? question, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var (ticket, events) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "set waiting on");
            EnsureOpen(t, "set waiting");
            if (question is not null && PublisherRequesterThread(t) is null)
            {
                throw new DomainException($"{t.Key} has no conversation with its requester to ask in (it was imported); nothing was changed.");
            }

            var recorded = new List<TicketEvent>(TakeUnassigned(t, now, me.Id, working: false));
            if (question is not null)
            {
                recorded.Add(t.Record(AgentReply(t, now, me.Id)));
            }

            if (t.Status != TicketStatus.WaitingOnRequester)
            {
                recorded.Add(t.Record(StatusEvent(t, now, me.Id, ActorKind.Agent, TicketStatus.WaitingOnRequester)));
            }

            return recorded;
        }, cancellationToken);
        if (events.Count == 0)
        {
            turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is already waiting on the requester."));
            return;
        }

        if (awaited is not null)
        {
            // Their answer may come at the top of the conversation rather than in the thread (a Teams personal chat has no threads).
            await awaited.AskedAsync(ticket, cancellationToken);
        }

        if (question is null)
        {
            await AnnounceAsync(turn, ticket, $"{ticket.Key} is waiting on the requester; its SLA clocks are paused until they reply.",
                $"{me.DisplayName} is waiting for your answer on this request; reply here when you can.", cancellationToken);
            return;
        }

        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key,
            $"{ticket.Key} is waiting on the requester, who was asked: \"{question}\". Its SLA clocks are paused until they reply."));
        turn.Send(PublisherRequesterThread(ticket)!, QueueCards.FromAgent(ticket, me.DisplayName, question) with
        {
            Context = $"{ticket.Key} · waiting for your answer · reply here",
            Buttons = [], // a question fixes nothing yet
        }, ticket.Key);
        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    /// <summary>
    /// An agent who answers the requester, sets the ticket waiting on them, or resolves it, when nobody has it: the ticket
    /// becomes theirs (<c>Assigned</c>, recorded on <paramref name="t"/>), and a <c>New</c> or <c>Open</c> one
    /// <c>InProgress</c> when they go on <paramref name="working"/> on it. Before, such a ticket stayed unassigned while
    /// they worked on it, so the technician view, which counts the tickets a technician is assigned, left out their work,
    /// and the queue still showed it as nobody's. (Freshdesk's "assign to the first responder" does the same.)
    /// </summary>
    public static IReadOnlyList<TicketEvent> TakeUnassigned(Ticket t, DateTimeOffset now, string agent, bool working)
    {
        if (t.Assignee is not null)
        {
            return [];
        }

        return working ? [.. AssignEvents(t, now, agent, agent)] : [t.Record(Assigned(t, now, agent, agent))];
    }

    /// <summary>An agent's reply to the requester (in the queue thread, or a waiting ticket's question): a <c>Responded</c>.</summary>
    public static TicketEvent AgentReply(Ticket t, DateTimeOffset now, string agent) =>
        TicketEvent.New(t.Key, EventType.Responded, now, agent, ActorKind.Agent, new Dictionary<string, string> { [EventData.By] = "agent" });

    public async Task PriorityAsync(Turn turn, string key, string priority, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var wanted = Priority.Parse(priority);
        var (ticket, _) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "re-prioritise");
            EnsureOpen(t, "re-prioritised");
            if (t.Priority == wanted)
            {
                throw new DomainException($"{t.Key} is already {wanted}.");
            }

            return [t.Record(TicketEvent.New(t.Key, EventType.PriorityChanged, now, me.Id, ActorKind.Agent, new Dictionary<string, string>
            {
                [EventData.Priority] = wanted,
                [QueueEventData.FromPriority] = t.Priority,
            }))];
        }, cancellationToken);
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is now {wanted}; its SLA follows {wanted}'s targets from now."));
        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    /// <summary>
    /// Puts the ticket in another of its team's categories (triage guessed wrong): a <c>CategoryChanged</c>, and the queue
    /// card follows. A category the team does not have is refused with the ones it has.
    /// </summary>
    public async Task CategoryAsync(Turn turn, string key, string category, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var (ticket, _) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "re-categorise");
            EnsureOpen(t, "re-categorised");
            var team = teams.Find(t.Team);
            var known = team is null || team.Categories.Count == 0
                ? category.ToLowerInvariant()
                : team.Categories.FirstOrDefault(c => c.Equals(category, StringComparison.OrdinalIgnoreCase))
                    ?? throw new DomainException($"'{category}' is not a category of the {team.Name} team; use one of {string.Join(", ", team.Categories)}.");
            if (t.Category.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainException($"{t.Key} is already in {known}.");
            }

            return [t.Record(TicketEvent.New(t.Key, EventType.CategoryChanged, now, me.Id, ActorKind.Agent, new Dictionary<string, string>
            {
                [EventData.Category] = known,
                [QueueEventData.FromCategory] = t.Category,
            }))];
        }, cancellationToken);
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"{ticket.Key} is now in {ticket.Category}; reports by category count it there."));
        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    /// <summary>
    /// Records an agent's internal note (<see cref="QueueNotes"/>): the requester is told nothing, the queue card shows it
    /// as the latest note, and the agent is told where it went.
    /// </summary>
    /// <param name="toQueue">Post the note in the ticket's queue threads too: <c>/it note</c> is typed outside them, while a
    /// <c>note:</c> written in a queue thread is there already.</param>
    public async Task NoteAsync(Turn turn, string key, string note, bool toQueue, CancellationToken cancellationToken)
    {
        var me = turn.Person;
        var (ticket, _) = await tickets.ChangeAsync(turn, key, (t, now) =>
        {
            AgentGuard.EnsureAgentOf(me, t, "add a note to");
            return [t.Record(QueueNotes.Event(t, now, me.Id, note))];
        }, cancellationToken);
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, $"Internal note added to {ticket.Key}. Its requester does not see it."));
        if (toQueue)
        {
            foreach (var message in await publisher.ToQueueAsync(ticket, QueueCards.Note(ticket, me.DisplayName, note), cancellationToken))
            {
                turn.Add(message);
            }
        }

        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    private async Task AnnounceAsync(Turn turn, Ticket ticket, string toAgent, string toRequester, CancellationToken cancellationToken)
    {
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key, toAgent));
        if (PublisherRequesterThread(ticket) is { } thread)
        {
            turn.Send(thread, QueueCards.Notice(ticket.Key, toRequester), ticket.Key);
        }

        await RefreshAsync(turn, ticket.Key, cancellationToken);
    }

    private async Task RefreshAsync(Turn turn, string key, CancellationToken cancellationToken)
    {
        foreach (var message in await publisher.PublishAsync(key, cancellationToken))
        {
            turn.Add(message);
        }
    }

    private static ConversationRef? PublisherRequesterThread(Ticket ticket) => QueuePublisher.RequesterThread(ticket);

    /// <summary>
    /// Records an escalation to a higher tier of the ticket's own team, as <c>/it escalate KEY L2</c> does (the SLA
    /// monitor's escalation on a breach goes through here too, so both follow the same rules): <c>Escalated</c> with
    /// <c>fromTier/toTier/fromTeam/toTeam</c> and <paramref name="data"/>, which leaves the ticket unassigned for the
    /// new tier to pick up, and an <c>InProgress</c> ticket back to <c>Open</c>. Refused unless
    /// <paramref name="toTier"/> is above the ticket's tier.
    /// </summary>
    /// <param name="id">The <c>Escalated</c> event's id when the caller needs it to be deterministic (the status change's follows from it).</param>
    public static IReadOnlyList<TicketEvent> EscalateToTier(
        Ticket t, DateTimeOffset now, string actor, ActorKind kind, string toTier, IReadOnlyDictionary<string, string> data, string? id = null)
    {
        if (Tiers.Rank(toTier) <= Tiers.Rank(t.Tier))
        {
            throw new DomainException($"{t.Key} is already at {t.Tier}; it can only be escalated to a higher tier.");
        }

        return RecordEscalation(t, now, actor, kind, toTier, t.Team, data, id);
    }

    private static List<TicketEvent> RecordEscalation(
        Ticket t, DateTimeOffset now, string actor, ActorKind kind, string toTier, string toTeam, IReadOnlyDictionary<string, string> data, string? id)
    {
        var all = new Dictionary<string, string>(data)
        {
            [EventData.FromTier] = t.Tier,
            [EventData.FromTeam] = t.Team,
            [EventData.ToTier] = toTier,
            [EventData.ToTeam] = toTeam,
        };
        var recorded = new List<TicketEvent> { t.Record(TicketEvent.New(t.Key, EventType.Escalated, now, actor, kind, all, id)) };
        if (t.Status == TicketStatus.InProgress)
        {
            recorded.Add(t.Record(TicketEvent.New(t.Key, EventType.StatusChanged, now, actor, kind,
                new Dictionary<string, string> { [EventData.Status] = nameof(TicketStatus.Open) }, id is null ? null : $"{id}:status")));
        }

        return recorded;
    }

    private static IEnumerable<TicketEvent> AssignEvents(Ticket t, DateTimeOffset now, string actor, string assignee)
    {
        var events = new List<TicketEvent>
        {
            t.Record(Assigned(t, now, actor, assignee)),
        };
        if (t.Status is TicketStatus.New or TicketStatus.Open)
        {
            events.Add(t.Record(StatusEvent(t, now, actor, ActorKind.Agent, TicketStatus.InProgress)));
        }

        return events;
    }

    private static TicketEvent Assigned(Ticket t, DateTimeOffset now, string actor, string assignee) =>
        TicketEvent.New(t.Key, EventType.Assigned, now, actor, ActorKind.Agent, new Dictionary<string, string> { [EventData.Assignee] = assignee });

    public static TicketEvent StatusEvent(Ticket t, DateTimeOffset now, string actor, ActorKind kind, TicketStatus status) =>
        TicketEvent.New(t.Key, EventType.StatusChanged, now, actor, kind, new Dictionary<string, string> { [EventData.Status] = status.ToString() });

    private static void EnsureOpen(Ticket t, string what)
    {
        if (!t.IsOpen)
        {
            throw new DomainException($"{t.Key} is {TicketCards.Describe(t.Status).ToLower(CultureInfo.InvariantCulture)}, so it cannot be {what}; reopen it first (/it reopen {t.Key}).");
        }
    }
}
