using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// <c>/it override KEY cancel|complete REASON</c>: an agent of the ticket's team stops the ticket's running workflow
/// (cancel) or finishes the request by hand (complete: the ticket is resolved by the agent). Recorded as
/// <c>Overridden</c> with the reason, and audited; the engine sees it and runs no further step.
/// </summary>
public sealed class OverrideVerb(TicketService tickets, IEventLog log, IWorkflowRunner runner, IAuditLog audit) : ICommandVerb
{
    public const string Cancel = "cancel";
    public const string Complete = "complete";

    public string Command => "it";

    public string Verb => "override";

    public string Usage => "/it override KEY cancel|complete REASON";

    public string Summary => "Agents: cancel a ticket's running workflow, or complete the request by hand, with a reason.";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < 1 || !TicketKey.TryParse(words[0], out var key))
        {
            throw new UsageException(words.Length < 1 ? "Name the ticket." : $"'{words[0]}' is not a ticket key; keys look like IT-42.", Usage);
        }

        var what = words.Length > 1 ? words[1].ToLowerInvariant() : "";
        if (what is not (Cancel or Complete))
        {
            throw new UsageException(what.Length == 0 ? "Say cancel or complete." : $"'{words[1]}' is not cancel or complete.", Usage);
        }

        var reason = words.Length > 2 ? words[2].Trim() : "";
        if (reason.Length == 0)
        {
            throw new UsageException("A reason is required.", Usage);
        }

        var ticket = await tickets.GetAsync(key.ToString(), cancellationToken);
        if (!turn.Person.IsAgentOf(ticket.Team))
        {
            await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.OverrideRefused, ticket.Key, new Dictionary<string, string>
            {
                ["action"] = what,
                ["reason"] = reason,
                ["refused"] = $"not an agent of {ticket.Team}",
            }), cancellationToken);
            throw new DomainException($"Only agents of the {ticket.Team} team can override automation on {ticket.Key}; nothing was changed.");
        }

        var runId = ActiveRun(await log.ReadTicketAsync(ticket.Key, cancellationToken))
            ?? throw new DomainException($"{ticket.Key} has no running workflow to override.");

        var (changed, events) = await tickets.ChangeAsync(ticket.Key, (t, now) => Decide(t, now, turn.Person.Id, runId, what, reason), cancellationToken: cancellationToken);
        var overridden = events.First(e => e.Type == EventType.Overridden);
        await audit.AppendAsync(AuditRecord.New(overridden.At, turn.Person.Id, AuditActions.Overridden, ticket.Key, new Dictionary<string, string>
        {
            ["run"] = runId,
            ["action"] = what,
            ["reason"] = reason,
            ["next"] = what == Cancel ? "the workflow stops; the ticket stays open with the agent" : "the ticket is resolved by the agent",
        }, id: $"event:{overridden.Id}"), cancellationToken);
        await runner.ContinueAsync(runId, cancellationToken);

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
    }

    private static IEnumerable<TicketEvent> Decide(Ticket t, DateTimeOffset now, string agent, string runId, string what, string reason)
    {
        var data = new Dictionary<string, string> { [EventData.Run] = runId, ["action"] = what, [EventData.Reason] = reason, [EventData.By] = agent };
        yield return t.Record(TicketEvent.New(t.Key, EventType.Overridden, now, agent, ActorKind.Agent, data));
        yield return t.Record(TicketEvent.New(t.Key, EventType.WorkflowCompleted, now, agent, ActorKind.Agent,
            new Dictionary<string, string> { [EventData.Run] = runId, [EventData.Outcome] = what == Cancel ? "cancelled" : "completed-by-hand" },
            WorkflowKeys.RunCompleted(runId)));
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
            else if (e.Type is EventType.WorkflowCompleted or EventType.WorkflowFailed or EventType.Overridden)
            {
                ended.Add(run);
            }
        }

        return started.LastOrDefault(r => !ended.Contains(r));
    }
}
