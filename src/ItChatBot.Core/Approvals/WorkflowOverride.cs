using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// An agent of the ticket's team stops the ticket's running workflow (cancel) or finishes the request by hand
/// (complete: the ticket is resolved by the agent), with a reason. Recorded as <c>Overridden</c> and audited; anyone
/// else is refused and the attempt audited. Shared by <c>/it override</c> and the queue card's buttons.
/// </summary>
public sealed class WorkflowOverride(TicketService tickets, IEventLog log, IWorkflowRunner runner, IAuditLog audit, IOutbox outbox)
{
    public const string Cancel = "cancel";
    public const string Complete = "complete";

    /// <summary>The <c>via</c> of an override that an agent's <c>/it resolve</c> made: the run was cancelled by the resolution.</summary>
    public const string ViaResolve = "resolve";

    /// <summary>Data key: what made the override when it was not <c>/it override</c> or its buttons.</summary>
    public const string Via = "via";

    /// <param name="expectedRun">The run a button was shown for: when another run (or none) is active now, nothing happens.</param>
    public async Task OverrideAsync(Turn turn, string key, string what, string reason, string? expectedRun, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(key, cancellationToken);
        if (!turn.Person.IsAgentOf(ticket.Team))
        {
            await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.OverrideRefused, ticket.Key, new Dictionary<string, string>
            {
                ["action"] = what,
                ["reason"] = reason,
                ["refused"] = $"not an agent of {ticket.Team}",
                ["channel"] = turn.Inbound.Conversation.Channel,
            }), cancellationToken);
            throw new DomainException($"Only agents of the {ticket.Team} team can override automation on {ticket.Key}; nothing was changed.");
        }

        // A turn that runs again after a stop finds the override its first run recorded (its run has ended since), and
        // says what that run would have.
        var replayed = (await tickets.RecordedByAsync(ticket, turn.Inbound, cancellationToken)).FirstOrDefault(e => e.Type == EventType.Overridden)?.Get(EventData.Run);
        var runId = replayed
            ?? (await ActiveRunAsync(ticket.Key, expectedRun, cancellationToken) is { } active ? active : throw new DomainException(Stale(ticket.Key, expectedRun)));
        if (reason.Length == 0)
        {
            throw new DomainException($"A reason is required to {(what == Cancel ? "cancel the run" : "complete the request by hand")}; nothing was changed.");
        }

        var (changed, events) = await tickets.ChangeAsync(turn, ticket.Key, (t, now) => Decide(t, now, turn.Person.Id, runId, what, reason), cancellationToken);

        var card = new Card
        {
            Title = what == Cancel ? $"{ticket.Key}: automation cancelled" : $"{ticket.Key}: completed by hand",
            Text = $"{turn.Person.DisplayName} {(what == Cancel ? "cancelled the running workflow" : "completed the request by hand")}: {reason}",
            Context = $"run {runId} · recorded as Overridden",
        };
        turn.Reply(card, ticket.Key);
        if (changed.Conversation is { } origin && (origin != turn.Inbound.Conversation.ConversationId || changed.Channel != turn.Inbound.Conversation.Channel))
        {
            turn.Send(new ConversationRef(changed.Channel, origin, changed.Thread), card, ticket.Key);
        }

        await RunEndedAsync(turn, events.First(e => e.Type == EventType.Overridden),
            what == Cancel ? "the workflow stops; the ticket stays open with the agent" : "the ticket is resolved by the agent", cancellationToken);
    }

    /// <summary>
    /// What follows an <c>Overridden</c> recorded by <see cref="EndRun"/>: its audit entry (under the event's id, so the
    /// audit projector does not add a second), the run moved on (the engine sees the override and stops it), and every copy
    /// of the run's undecided approval cards replaced by one that offers nothing.
    /// </summary>
    public async Task RunEndedAsync(Turn turn, TicketEvent overridden, string next, CancellationToken cancellationToken)
    {
        var runId = overridden.Get(EventData.Run)!;
        var key = overridden.Ticket!;
        var data = new Dictionary<string, string>
        {
            ["run"] = runId,
            ["action"] = overridden.Get("action") ?? "",
            ["reason"] = overridden.Get(EventData.Reason) ?? "",
            ["next"] = next,
        };
        if (overridden.Get(Via) is { } via)
        {
            data[Via] = via;
        }

        await audit.AppendAsync(AuditRecord.New(overridden.At, overridden.Actor, AuditActions.Overridden, key, data, id: $"event:{overridden.Id}"), cancellationToken);
        await StopRunAsync(turn, key, runId, overridden.At,
            $"{turn.Person.DisplayName} {(overridden.Get(Via) == ViaResolve ? "resolved the ticket" : "overrode the workflow")}, so nothing is waiting for this approval.",
            cancellationToken);
    }

    /// <summary>
    /// After a run's end is in the log: the run moved on (the engine sees the end and stops it) and every copy of its
    /// undecided approval cards replaced by one that offers nothing and says <paramref name="why"/>.
    /// </summary>
    public async Task StopRunAsync(Turn turn, string key, string runId, DateTimeOffset at, string why, CancellationToken cancellationToken)
    {
        await runner.ContinueAsync(runId, cancellationToken);

        var history = await log.ReadTicketAsync(key, cancellationToken);
        foreach (var (run, step) in ApprovalHistory.RequestedSteps(history).Where(r => r.Run == runId))
        {
            var approval = ApprovalHistory.Of(history, run, step);
            if (approval.Decisions.Count > 0 || approval.Expired is not null)
            {
                continue; // its copies already say who decided, or that it expired
            }

            var card = ApprovalMessages.WithdrawnCard(key, approval.Summary, at, why);
            foreach (var id in approval.NotifiedPeople.Select(p => ApprovalMessages.DirectCopyId(run, step, p)).Prepend(ApprovalMessages.ThreadCopyId(run, step)))
            {
                if (await outbox.GetMessageAsync(id, cancellationToken) is { } copy)
                {
                    turn.Update(copy.Message, card);
                }
            }
        }
    }

    /// <summary>
    /// The events that end <paramref name="runId"/> by an agent: <c>Overridden</c> (action, reason, by, and <c>via</c> when
    /// something other than <c>/it override</c> made it) and the run's end, a <c>WorkflowCompleted</c> with its outcome.
    /// </summary>
    public static IEnumerable<TicketEvent> EndRun(Ticket t, DateTimeOffset now, string agent, string runId, string what, string reason, string? via = null)
    {
        var data = new Dictionary<string, string> { [EventData.Run] = runId, ["action"] = what, [EventData.Reason] = reason, [EventData.By] = agent };
        if (via is not null)
        {
            data[Via] = via;
        }

        yield return t.Record(TicketEvent.New(t.Key, EventType.Overridden, now, agent, ActorKind.Agent, data));
        yield return t.Record(TicketEvent.New(t.Key, EventType.WorkflowCompleted, now, agent, ActorKind.Agent,
            new Dictionary<string, string> { [EventData.Run] = runId, [EventData.Outcome] = what == Cancel ? "cancelled" : "completed-by-hand" },
            WorkflowKeys.RunCompleted(runId)));
    }

    /// <summary>
    /// The end of <paramref name="runId"/> when its requester withdraws the request: a <c>WorkflowCompleted</c> with
    /// outcome <c>withdrawn</c> by the requester. Not an override: that is an agent's act (DESIGN §2).
    /// </summary>
    public static TicketEvent Withdrawn(Ticket t, DateTimeOffset now, string requester, string runId) =>
        t.Record(TicketEvent.New(t.Key, EventType.WorkflowCompleted, now, requester, ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Run] = runId, [EventData.Outcome] = "withdrawn" },
            WorkflowKeys.RunCompleted(runId)));

    /// <summary>The ticket's running workflow, when it is the one expected (any, when none is expected).</summary>
    public async Task<string?> ActiveRunAsync(string key, string? expectedRun, CancellationToken cancellationToken)
    {
        var active = ActiveRun(await log.ReadTicketAsync(key, cancellationToken));
        return expectedRun is null || string.Equals(active, expectedRun, StringComparison.Ordinal) ? active : null;
    }

    public static string Stale(string key, string? expectedRun) => expectedRun is null
        ? $"{key} has no running workflow to override."
        : $"The workflow run {expectedRun} on {key} is not running any more; nothing was changed.";

    /// <summary>An event that ends the run it names: its completion (of any outcome), its failure, or an agent's override.</summary>
    public static bool Ends(TicketEvent e) => e.Type is EventType.WorkflowCompleted or EventType.WorkflowFailed or EventType.Overridden;

    /// <summary>The latest run started on the ticket that has not ended.</summary>
    public static string? ActiveRun(IEnumerable<TicketEvent> events)
    {
        var ended = new HashSet<string>(StringComparer.Ordinal);
        var started = new List<string>();
        foreach (var e in events)
        {
            if (e.Get(EventData.Run) is not { } run)
            {
                continue;
            }

            if (e.Type == EventType.WorkflowStarted)
            {
                started.Add(run);
            }
            else if (Ends(e))
            {
                ended.Add(run);
            }
        }

        return started.LastOrDefault(r => !ended.Contains(r));
    }

    private static IEnumerable<TicketEvent> Decide(Ticket t, DateTimeOffset now, string agent, string runId, string what, string reason)
    {
        foreach (var e in EndRun(t, now, agent, runId, what, reason))
        {
            yield return e;
        }

        if (what == Complete)
        {
            yield return t.Record(TicketEvent.New(t.Key, EventType.Resolved, now, agent, ActorKind.Agent,
                new Dictionary<string, string> { [EventData.Note] = reason, [EventData.By] = agent }));
        }
        else if (t.Status == TicketStatus.PendingApproval && StatusRules.CanChange(t.Status, TicketStatus.InProgress))
        {
            yield return t.Record(TicketEvent.New(t.Key, EventType.StatusChanged, now, agent, ActorKind.Agent,
                new Dictionary<string, string> { [EventData.Status] = nameof(TicketStatus.InProgress) }));
        }
    }
}
