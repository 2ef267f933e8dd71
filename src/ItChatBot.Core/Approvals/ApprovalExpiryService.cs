using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// One pass over the approvals still waiting: at half-time the approvers get a reminder; at expiry
/// <c>ApprovalExpired</c> is recorded, every copy of the card says so, and the run is moved on, which stops it and
/// tells the requester. Everything is keyed by run and step, so a pass repeated after a crash sends nothing twice.
/// </summary>
public sealed class ApprovalExpiryService(
    ITicketStore tickets,
    IEventLog log,
    IOutbox outbox,
    OutboxSignal signal,
    IApprovalGate gate,
    IWorkflowRunner runner,
    IDirectory directory,
    IAuditLog audit,
    IOptions<ApprovalsOptions> options,
    TimeProvider clock)
{
    public async Task<ExpirySweep> SweepAsync(CancellationToken cancellationToken = default)
    {
        int reminded = 0, expired = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var waiting = await tickets.QueryAsync(new TicketQuery { OpenOnly = true, Status = TicketStatus.PendingApproval, Limit = int.MaxValue }, cancellationToken);
        foreach (var ticket in waiting)
        {
            seen.Add(ticket.Key);
            var events = await log.ReadTicketAsync(ticket.Key, cancellationToken);
            foreach (var (run, step) in ApprovalHistory.RequestedSteps(events))
            {
                var history = ApprovalHistory.Of(events, run, step);
                if (await runner.FindRunAsync(run, cancellationToken) is not { } info)
                {
                    continue;
                }

                if (history.Expired is not null)
                {
                    // Expired by another pass: one still moving the run on (the runner lets one pass at a time through
                    // a run, so this waits for it), or one that stopped between recording the expiry and moving the
                    // run on. Either way the run has moved on when this pass returns.
                    if (info.Status == WorkflowRunStatus.WaitingForApproval)
                    {
                        await runner.ContinueAsync(run, cancellationToken);
                    }

                    continue;
                }

                var request = new ApprovalRequest(ticket.Key, run, step, info.Requester, history.Approvers, history.Summary);
                var state = await gate.CheckAsync(request, cancellationToken);
                var requestedAt = history.Requested!.At;
                var now = clock.GetUtcNow();
                if (state is ApprovalState.Expired || (state is ApprovalState.Pending && now >= requestedAt + options.Value.Expiry))
                {
                    await ExpireAsync(ticket, history, now, cancellationToken);
                    await runner.ContinueAsync(run, cancellationToken);
                    expired++;
                }
                else if (state is ApprovalState.Pending && now >= requestedAt + (options.Value.Expiry / 2) && await RemindAsync(ticket, history, now, cancellationToken))
                {
                    reminded++;
                }
            }
        }

        // A run whose expiry is recorded but whose ticket this pass did not list: another pass is moving it on and has
        // already resolved the ticket, or stopped between doing so and saving the run. Continuing it waits for that
        // pass or finishes its bookkeeping, so the promise above holds for these runs too.
        foreach (var run in await runner.WaitingForApprovalAsync(cancellationToken))
        {
            if (!seen.Contains(run.Ticket)
                && (await log.ReadTicketAsync(run.Ticket, cancellationToken)).Any(e => e.Type == EventType.ApprovalExpired && e.Get(EventData.Run) == run.RunId))
            {
                await runner.ContinueAsync(run.RunId, cancellationToken);
            }
        }

        if (reminded + expired > 0)
        {
            signal.Notify();
        }

        return new ExpirySweep(reminded, expired);
    }

    private async Task ExpireAsync(Ticket ticket, ApprovalHistory history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = history.Requested!.Get(EventData.Run)!;
        var step = history.Requested.GetInt(EventData.Step)!.Value;
        var id = $"{WorkflowKeys.Step(run, step)}:approval-expired";
        if ((await log.ContainsAsync([id], cancellationToken)).Count > 0)
        {
            return;
        }

        var e = TicketEvent.New(ticket.Key, EventType.ApprovalExpired, now, "system", ActorKind.System, new Dictionary<string, string>
        {
            [EventData.Run] = run,
            [EventData.Step] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, id);
        var card = ApprovalMessages.ExpiredCard(ticket.Key, history.Summary, now);
        var updates = new List<OutboundMessage>();
        foreach (var copyId in history.NotifiedPeople.Select(p => ApprovalMessages.DirectCopyId(run, step, p)).Prepend(ApprovalMessages.ThreadCopyId(run, step)))
        {
            if (await outbox.GetMessageAsync(copyId, cancellationToken) is { } copy)
            {
                updates.Add(copy.Message with { Id = $"{copyId}:expired", Card = card, UpdateOf = copy.Message.UpdateOf ?? copy.Message.Id, CreatedAt = now });
            }
        }

        await log.AppendAsync([e], updates, cancellationToken: cancellationToken);
        await audit.AppendAsync(AuditRecord.New(now, "system", AuditActions.ApprovalExpired, ticket.Key, new Dictionary<string, string>
        {
            ["run"] = run,
            ["step"] = e.Get(EventData.Step)!,
            ["requestedAt"] = history.Requested.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["next"] = "the run stops and the requester is told",
        }, id: $"event:{id}"), cancellationToken);
    }

    /// <summary>The requester and the approvers as the request's first copies named them (<see cref="ApprovalMessages.WhoCanApprove"/>).</summary>
    private async Task<(string Requester, string WhoCanApprove)> NamesAsync(Ticket ticket, ApprovalHistory history, CancellationToken cancellationToken)
    {
        var approvers = history.Requested!.Get(EventData.Approver)?.Split(',') ?? [];
        var people = new List<Person>();
        foreach (var approver in approvers.Where(a => !a.StartsWith("group:", StringComparison.Ordinal)))
        {
            if (await directory.FindAsync(approver, cancellationToken) is { } person)
            {
                people.Add(person);
            }
        }

        return (await directory.NameOfAsync(ticket.Requester, cancellationToken),
            ApprovalMessages.WhoCanApprove(approvers, people));
    }

    private async Task<bool> RemindAsync(Ticket ticket, ApprovalHistory history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = history.Requested!.Get(EventData.Run)!;
        var step = history.Requested.GetInt(EventData.Step)!.Value;
        var expiresAt = history.Requested.At + options.Value.Expiry;
        var messages = new List<OutboundMessage>();
        var sent = new List<string>();
        (string Requester, string WhoCanApprove)? names = null;
        foreach (var personId in history.NotifiedPeople)
        {
            var id = ApprovalMessages.ReminderId(run, step, personId);
            if (await outbox.GetMessageAsync(id, cancellationToken) is not null)
            {
                sent.Add(id);
                continue;
            }

            if (await directory.FindAsync(personId, cancellationToken) is not { } person)
            {
                continue;
            }

            names ??= await NamesAsync(ticket, history, cancellationToken);
            var direct = ApprovalMessages.DirectConversation(person, ticket.Channel);
            messages.Add(new OutboundMessage
            {
                Id = id,
                Conversation = direct,
                Card = ApprovalMessages.RequestCard(ticket, run, step, history.Summary.Length > 0 ? history.Summary : ticket.Subject, names.Value.Requester, names.Value.WhoCanApprove,
                    $"Reminder: this approval expires at {expiresAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC. To ask {names.Value.Requester} something, {ApprovalMessages.HowToWrite(direct, ticket.Key)}.")
                    with { Title = $"Reminder: approval needed for {ticket.Key}" },
                Ticket = ticket.Key,
                CreatedAt = now,
            });
        }

        if (messages.Count > 0)
        {
            await outbox.EnqueueAsync(messages, cancellationToken);
        }

        // Audited whenever reminders exist, not only by the pass that queued them: another pass (the worker and a
        // manual sweep, or a restart between the two writes) may have queued them, and the entry's id makes this once.
        var reminded = sent.Concat(messages.Select(m => m.Id)).ToList();
        if (reminded.Count == 0)
        {
            return false;
        }

        await audit.AppendAsync(AuditRecord.New(now, "system", AuditActions.ApprovalReminded, ticket.Key, new Dictionary<string, string>
        {
            ["run"] = run,
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reminded"] = string.Join(",", reminded.Order(StringComparer.Ordinal).Select(id => id[(id.LastIndexOf(':') + 1)..])),
            ["expiresAt"] = expiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, id: $"{WorkflowKeys.Step(run, step)}:reminded"), cancellationToken);
        return messages.Count > 0;
    }
}

public sealed record ExpirySweep(int Reminded, int Expired);
