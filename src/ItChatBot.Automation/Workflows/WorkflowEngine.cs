using System.Collections.Concurrent;
using System.Globalization;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Steps;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Runs workflows durably. Each step attempt writes <c>WorkflowStepStarted</c>, then either its result
/// (<c>WorkflowStepCompleted</c> with the step's events and messages, in one transaction) or
/// <c>WorkflowStepFailed</c>. Event ids derive from run id + step index, and a step whose completion is in the
/// log is never executed again, so a run resumed after a crash repeats no completed side effect. Every step after
/// an <c>approval</c> step is gated: the gate is asked right before it executes, whatever resumed the run.
/// </summary>
public sealed partial class WorkflowEngine(
    WorkflowCatalog catalog,
    IWorkflowRunStore runs,
    IEnumerable<IStepExecutor> executors,
    IApprovalGate gate,
    IEventLog log,
    TicketService tickets,
    IDirectory directory,
    IApplicationCatalog applications,
    OutboxSignal outboxSignal,
    IOptions<AutomationOptions> options,
    TimeProvider clock,
    ILogger<WorkflowEngine> logger,
    IEnumerable<IChannelSender> senders) : IWorkflowRunner
{
    private readonly IChannelSender[] _senders = [.. senders];

    private readonly Dictionary<StepKind, IStepExecutor> _executors = executors.ToDictionary(e => e.Kind);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Starts <paramref name="definition"/> on an open ticket and runs it as far as it can go now.</summary>
    public Task<WorkflowRun> StartAsync(WorkflowDefinition definition, Ticket ticket, IReadOnlyDictionary<string, string> slots, CancellationToken cancellationToken = default) =>
        StartAsync(definition, ticket, slots, announce: [], cancellationToken);

    /// <summary>
    /// Starts <paramref name="definition"/> on an open ticket, queueing <paramref name="announce"/> (the requester's receipt)
    /// in the write that saves the run, ahead of anything the run sends; then runs it as far as it can go now. A stop
    /// before that write leaves neither the run nor its receipt, a stop after it leaves both for the resumer.
    /// </summary>
    public async Task<WorkflowRun> StartAsync(WorkflowDefinition definition, Ticket ticket, IReadOnlyDictionary<string, string> slots, IReadOnlyList<OutboundMessage> announce, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var number = (await runs.ForTicketAsync(ticket.Key)).Count;
        WorkflowRun run;
        do
        {
            // Another start on this ticket (here or on another instance) may have taken the number counted: take the next.
            run = new WorkflowRun
            {
                Id = $"r-{ticket.Key}-{++number}",
                Workflow = definition.Id,
                Ticket = ticket.Key,
                Requester = ticket.Requester,
                Slots = slots,
                StartedAt = now,
                DueAt = now,
            };
        }
        while (!await runs.TryAddAsync(run, announce));
        AppendWatch.NoteMessages(announce);
        if (announce.Count > 0)
        {
            outboxSignal.Notify();
        }

        // WorkflowStarted is written by the run's first move (AdvanceAsync), not here: a stop between the save above and
        // that event then leaves a run the resumer starts properly, rather than one that ran without a start on record.
        Log.RunStarted(logger, run.Id, definition.Id, ticket.Key);
        await ContinueAsync(run.Id, cancellationToken);
        return await runs.GetAsync(run.Id) ?? run;
    }

    public async Task<WorkflowRunInfo?> FindRunAsync(string runId, CancellationToken cancellationToken = default) =>
        (await runs.GetAsync(runId))?.ToInfo();

    public async Task<IReadOnlyList<WorkflowRunInfo>> WaitingForApprovalAsync(CancellationToken cancellationToken = default) =>
        [.. (await runs.UnfinishedAsync()).Where(r => r.Status == WorkflowRunStatus.WaitingForApproval).Select(r => r.ToInfo())];

    /// <summary>Moves every unfinished run that is due (used at start-up and by the resumer's periodic pass).</summary>
    public async Task<int> ResumeDueAsync(CancellationToken cancellationToken = default)
    {
        var moved = 0;
        foreach (var run in await runs.UnfinishedAsync())
        {
            if (run.Status == WorkflowRunStatus.Running && run.DueAt > clock.GetUtcNow())
            {
                continue;
            }

            try
            {
                await ContinueAsync(run.Id, cancellationToken);
                moved++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ResumeFailed(logger, ex, run.Id);
            }
        }

        return moved;
    }

    public async Task ContinueAsync(string runId, CancellationToken cancellationToken = default)
    {
        // In this process one pass at a time per run (the lock); across instances sharing a PostgreSQL store, the run's
        // claim (IWorkflowRunStore.TryClaimAsync). When another instance holds the run it is asked for one more pass, so
        // returning here loses nothing.
        var gateLock = _locks.GetOrAdd(runId, _ => new SemaphoreSlim(1, 1));
        await gateLock.WaitAsync(cancellationToken);
        var claimed = false;
        try
        {
            if (!await runs.TryClaimAsync(runId, cancellationToken))
            {
                return;
            }

            claimed = true;
            do
            {
                await AdvanceAsync(runId, cancellationToken);
            }
            while (!await runs.ReleaseAsync(runId, cancellationToken: CancellationToken.None));
            claimed = false;
        }
        finally
        {
            try
            {
                if (claimed)
                {
                    await runs.ReleaseAsync(runId, force: true, CancellationToken.None);
                }
            }
            finally
            {
                gateLock.Release();
                outboxSignal.Notify();
            }
        }
    }

    private async Task AdvanceAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId);
        if (run is null || run.IsFinished || (run.Status == WorkflowRunStatus.Running && run.DueAt > clock.GetUtcNow()))
        {
            return;
        }

        await RecordStartAsync(run, cancellationToken);
        var definition = catalog.Loaded(run.Workflow);
        if (definition is null)
        {
            await FailAsync(run, null, $"The workflow '{run.Workflow}' is no longer defined.", cancellationToken);
            return;
        }

        while (run.NextStep < definition.Steps.Count)
        {
            var ticket = await tickets.GetAsync(run.Ticket, cancellationToken);
            var history = await log.ReadTicketAsync(run.Ticket, cancellationToken);
            var ended = history.FirstOrDefault(e => e.Id == WorkflowKeys.RunCompleted(run.Id))?.Get(EventData.Outcome);
            if (ended is "denied" or "expired")
            {
                // HoldAsync wrote the run's end but its status was not saved (it stopped between its two writes): finish
                // the bookkeeping rather than calling the run cancelled because its own end resolved the ticket.
                await runs.SaveAsync(run with { Status = WorkflowRunStatus.Completed, Error = $"approval {ended}" });
                return;
            }

            if (!ticket.IsOpen || ended is not null || history.Any(e => e.Type == EventType.Overridden && (e.Get(EventData.Run) is null || e.Get(EventData.Run) == run.Id)))
            {
                // An agent resolved the ticket or took over, or the requester withdrew it (the run's end is in the log, and a
                // reopen since does not bring it back): the run stops; the Overridden/Resolved/end event is the record.
                await runs.SaveAsync(run with { Status = WorkflowRunStatus.Cancelled });
                Log.RunCancelled(logger, run.Id, ticket.Key);
                return;
            }

            var step = definition.Steps[run.NextStep];
            var doneId = WorkflowKeys.StepCompleted(run.Id, step.Index);
            if (history.Any(e => e.Id == doneId))
            {
                run = run with { NextStep = step.Index + 1, Attempt = 0, Status = WorkflowRunStatus.Running };
                await runs.SaveAsync(run);
                continue;
            }

            var requester = await directory.FindAsync(run.Requester, cancellationToken);
            var gateState = await CheckGatesAsync(run, definition, step.Index, cancellationToken);
            if (gateState != ApprovalState.Approved)
            {
                await HoldAsync(run, definition, ticket, requester, history, gateState, cancellationToken);
                return;
            }

            if (step.Kind == StepKind.Approval)
            {
                if (!await ApprovalStepAsync(run, definition, step, ticket, requester, history, cancellationToken))
                {
                    return;
                }
            }
            else if (!await ExecuteAsync(run, definition, step, ticket, requester, history, cancellationToken))
            {
                return;
            }

            run = run with { NextStep = step.Index + 1, Attempt = 0, Status = WorkflowRunStatus.Running, DueAt = clock.GetUtcNow() };
            await runs.SaveAsync(run);
        }

        await log.AppendAsync([RunCompleted(run, clock.GetUtcNow())], cancellationToken: cancellationToken);
        await runs.SaveAsync(run with { Status = WorkflowRunStatus.Completed });
        Log.RunCompleted(logger, run.Id, run.Ticket);
    }

    /// <summary>
    /// Writes the run's <c>WorkflowStarted</c> (and the ticket's move to InProgress) unless the log has it, under the run's
    /// lock: on a fresh start, and on the resume of a run whose start stopped after saving it. The event keeps the run's
    /// start time and its one id, so it is never written twice.
    /// </summary>
    private async Task RecordStartAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var id = WorkflowKeys.RunStarted(run.Id);
        if ((await log.ContainsAsync([id], cancellationToken)).Count > 0)
        {
            return;
        }

        var ticket = await tickets.GetAsync(run.Ticket, cancellationToken);
        var started = TicketEvent.New(run.Ticket, EventType.WorkflowStarted, run.StartedAt, AutomationMessages.Actor, ActorKind.Automation,
            new Dictionary<string, string> { [EventData.Workflow] = run.Workflow, [EventData.Run] = run.Id }, id);
        await RecordAsync(run.Ticket, [started, .. StatusTo(ticket, TicketStatus.InProgress, clock.GetUtcNow(), $"{run.Id}:in-progress")], [], cancellationToken);
    }

    /// <summary>The combined state of every approval step before <paramref name="stepIndex"/>: all must be approved.</summary>
    private async Task<ApprovalState> CheckGatesAsync(WorkflowRun run, WorkflowDefinition definition, int stepIndex, CancellationToken cancellationToken)
    {
        foreach (var approval in definition.Steps.Take(stepIndex).Where(s => s.Kind == StepKind.Approval))
        {
            var state = await gate.CheckAsync(Request(run, approval, null), cancellationToken);
            if (state != ApprovalState.Approved)
            {
                return state;
            }
        }

        return ApprovalState.Approved;
    }

    private static ApprovalRequest Request(WorkflowRun run, WorkflowStep step, string? summary) =>
        new(run.Ticket, run.Id, step.Index, run.Requester, ApproverSpec.TryParse(step.Get("approvers"), out _) ?? ApproverSpec.ManagerOnly, summary);

    /// <summary>Runs an approval step: asks once, then waits until the gate is decided. True when approved.</summary>
    private async Task<bool> ApprovalStepAsync(
        WorkflowRun run, WorkflowDefinition definition, WorkflowStep step, Ticket ticket, Person? requester, IReadOnlyList<TicketEvent> history, CancellationToken cancellationToken)
    {
        var values = Values(run, definition, ticket, requester, history);
        var summary = step.Get("summary") is { } template ? Template.Expand(template, values) : $"{definition.Name} for {DirectoryNames.NameOf(requester, run.Requester)}";
        var request = Request(run, step, summary);
        var state = await gate.CheckAsync(request, cancellationToken);
        if (state == ApprovalState.Approved)
        {
            var now = clock.GetUtcNow();
            var done = StepCompleted(run, step, now, new Dictionary<string, string> { ["decision"] = ApprovalGate.Approved });
            await RecordAsync(run.Ticket, [.. StatusTo(ticket, TicketStatus.InProgress, now, $"{WorkflowKeys.Step(run.Id, step.Index)}:approved"), done], [], cancellationToken);
            return true;
        }

        if (state != ApprovalState.Pending)
        {
            await HoldAsync(run, definition, ticket, requester, history, state, cancellationToken);
            return false;
        }

        var approvers = await gate.RequestAsync(request, cancellationToken);
        if (approvers.Count == 0)
        {
            await FailAsync(run, step, $"Nobody can approve this: {DirectoryNames.NameOf(requester, run.Requester)} has no manager in the directory and the step names no approver group.", cancellationToken);
            return false;
        }

        // The step's start event, the status change and the approval card go in one transaction, so the card is sent exactly once.
        var at = clock.GetUtcNow();
        var stepData = StepData(run, step);
        stepData["attempt"] = "1";
        stepData[EventData.Approver] = string.Join(",", approvers);
        var started = TicketEvent.New(run.Ticket, EventType.WorkflowStepStarted, at, AutomationMessages.Actor, ActorKind.Automation, stepData, WorkflowKeys.StepStarted(run.Id, step.Index, 1));
        var direct = ticket.Conversation is { } origin && await IsDirectAsync(ticket.Channel, origin, cancellationToken);
        var card = ApprovalCards.Request(ticket, run.Id, step.Index, summary, approvers, requester, await gate.PeopleToAskAsync(request, approvers, cancellationToken), direct);
        var messages = ticket.Conversation is { } conversation
            ? new[] { new OutboundMessage { Id = $"{WorkflowKeys.Step(run.Id, step.Index)}:approval-card", Conversation = new ConversationRef(ticket.Channel, conversation, ticket.Thread), Card = card, Ticket = ticket.Key, CreatedAt = at } }
            : [];
        await RecordAsync(run.Ticket, [started, .. StatusTo(ticket, TicketStatus.PendingApproval, at, $"{WorkflowKeys.Step(run.Id, step.Index)}:pending")], messages, cancellationToken);
        await runs.SaveAsync(run with { Status = WorkflowRunStatus.WaitingForApproval });
        Log.WaitingForApproval(logger, run.Id, step.Index, string.Join(",", approvers));
        return false;
    }

    /// <summary>Whether the ticket's conversation is its requester's alone, as the channel's sender tells.</summary>
    private async Task<bool> IsDirectAsync(string channel, string conversationId, CancellationToken cancellationToken) =>
        _senders.FirstOrDefault(s => s.Channel == channel) is { } sender && await sender.IsDirectAsync(conversationId, cancellationToken);

    /// <summary>A gate that is not open: wait while pending; end the run, telling the requester, when denied or expired.</summary>
    private async Task HoldAsync(
        WorkflowRun run, WorkflowDefinition definition, Ticket ticket, Person? requester, IReadOnlyList<TicketEvent> history, ApprovalState state, CancellationToken cancellationToken)
    {
        if (state == ApprovalState.Pending)
        {
            await runs.SaveAsync(run with { Status = WorkflowRunStatus.WaitingForApproval });
            return;
        }

        var now = clock.GetUtcNow();
        var outcome = state == ApprovalState.Denied ? "denied" : "expired";
        var decidedBy = history.LastOrDefault(e => e.Type == EventType.ApprovalDecided && e.Get(EventData.Run) == run.Id)?.Actor;
        var who = decidedBy is not null && await directory.FindAsync(decidedBy, cancellationToken) is { } person ? person.DisplayName : "the approver";
        var text = state == ApprovalState.Denied
            ? $"{who} did not approve this request, so nothing was changed. Reply here if you want to discuss it."
            : "Nobody decided on the approval in time, so nothing was changed. Ask again when you still need it.";
        var events = new List<TicketEvent>();
        if (state == ApprovalState.Expired)
        {
            // The gate reports expiry from the clock alone, so this pass may see it before the expiry service does;
            // ApprovalExpired must be in the log either way (the approval KPIs count it). Same id as the service's.
            events.AddRange(UnrecordedExpiries(run, history, now));
        }

        events.AddRange(
        [
            TicketEvent.New(run.Ticket, EventType.Responded, now, AutomationMessages.Actor, ActorKind.Automation,
                new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.By] = AutomationMessages.Actor }, $"{run.Id}:{outcome}:responded"),
            TicketEvent.New(run.Ticket, EventType.WorkflowCompleted, now, AutomationMessages.Actor, ActorKind.Automation,
                new Dictionary<string, string> { [EventData.Workflow] = run.Workflow, [EventData.Run] = run.Id, [EventData.Outcome] = outcome }, WorkflowKeys.RunCompleted(run.Id)),
            TicketEvent.New(run.Ticket, EventType.Resolved, now, AutomationMessages.Actor, ActorKind.Automation,
                new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Note] = $"Approval {outcome}.", [EventData.By] = AutomationMessages.Actor }, $"{run.Id}:{outcome}:resolved"),
        ]);
        var messages = ticket.Conversation is { } conversation
            ? new[] { new OutboundMessage { Id = $"{run.Id}:{outcome}:msg", Conversation = new ConversationRef(ticket.Channel, conversation, ticket.Thread), Card = new Card { Title = $"{definition.Name}: not approved", Text = text, Context = ticket.Key }, Ticket = ticket.Key, CreatedAt = now } }
            : [];
        await RecordAsync(run.Ticket, events, messages, cancellationToken);
        await runs.SaveAsync(run with { Status = WorkflowRunStatus.Completed, Error = $"approval {outcome}" });
        Log.RunEndedByApproval(logger, run.Id, outcome);
    }

    /// <summary>An <c>ApprovalExpired</c> for each approval of the run that was requested and neither decided nor expired yet.</summary>
    private static IEnumerable<TicketEvent> UnrecordedExpiries(WorkflowRun run, IReadOnlyList<TicketEvent> history, DateTimeOffset now)
    {
        var closed = history
            .Where(e => e.Type is EventType.ApprovalDecided or EventType.ApprovalExpired && e.Get(EventData.Run) == run.Id)
            .Select(e => e.Get(EventData.Step))
            .ToHashSet(StringComparer.Ordinal);
        return history
            .Where(e => e.Type == EventType.ApprovalRequested && e.Get(EventData.Run) == run.Id && e.Get(EventData.Step) is { } step && !closed.Contains(step))
            .Select(e => e.Get(EventData.Step)!)
            .Distinct(StringComparer.Ordinal)
            .Select(step => TicketEvent.New(run.Ticket, EventType.ApprovalExpired, now, "system", ActorKind.System,
                new Dictionary<string, string> { [EventData.Run] = run.Id, [EventData.Step] = step },
                $"{WorkflowKeys.Step(run.Id, int.Parse(step, CultureInfo.InvariantCulture))}:approval-expired"));
    }

    /// <summary>Executes one non-approval step attempt. True when it completed; false when the run must wait (retry) or failed.</summary>
    private async Task<bool> ExecuteAsync(
        WorkflowRun run, WorkflowDefinition definition, WorkflowStep step, Ticket ticket, Person? requester, IReadOnlyList<TicketEvent> history, CancellationToken cancellationToken)
    {
        var attempt = run.Attempt + 1;
        var now = clock.GetUtcNow();
        var stepData = StepData(run, step);
        stepData["attempt"] = attempt.ToString(CultureInfo.InvariantCulture);
        await log.AppendAsync([TicketEvent.New(run.Ticket, EventType.WorkflowStepStarted, now, AutomationMessages.Actor, ActorKind.Automation, stepData, WorkflowKeys.StepStarted(run.Id, step.Index, attempt))],
            cancellationToken: cancellationToken);

        Exception failure;
        try
        {
            var context = new StepContext(run, definition, step, ticket, requester, Values(run, definition, ticket, requester, history), history, now);
            var result = await _executors[step.Kind].ExecuteAsync(context, cancellationToken);
            var done = StepCompleted(run, step, clock.GetUtcNow(), result.Outputs);
            List<TicketEvent> events = [.. result.Events.Where(e => e.Type != EventType.Resolved), done];
            if (step.Index == definition.Steps.Count - 1)
            {
                // The run completes in the same transaction as its last step, and before a resolution that step makes:
                // DESIGN §3 counts a ticket as AI-resolved when a workflow completed before the final resolution.
                events.Add(RunCompleted(run, done.At));
            }

            events.AddRange(result.Events.Where(e => e.Type == EventType.Resolved));
            await RecordAsync(run.Ticket, events, result.Messages, cancellationToken);
            Log.StepCompleted(logger, run.Id, step.Index, step.Kind);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }

        var permanent = failure is PermanentStepException or TemplateException or DomainException;
        var failedData = StepData(run, step);
        failedData["attempt"] = attempt.ToString(CultureInfo.InvariantCulture);
        failedData[EventData.Error] = Summarise(failure);
        await log.AppendAsync([TicketEvent.New(run.Ticket, EventType.WorkflowStepFailed, clock.GetUtcNow(), AutomationMessages.Actor, ActorKind.Automation, failedData, WorkflowKeys.StepFailed(run.Id, step.Index, attempt))],
            cancellationToken: cancellationToken);
        Log.StepFailed(logger, failure, run.Id, step.Index, attempt);
        if (permanent || attempt > step.Retries)
        {
            await FailAsync(run with { Attempt = attempt }, step, Summarise(failure), cancellationToken);
            return false;
        }

        var delay = options.Value.RetryDelay * Math.Pow(2, attempt - 1);
        if (failure is RemoteCallException { RetryAfter: { } wait } && wait > delay)
        {
            // A throttled peer (429/503) said when to come back; an earlier retry would only be refused again and use up the attempts.
            delay = wait;
        }

        await runs.SaveAsync(run with { Attempt = attempt, DueAt = clock.GetUtcNow() + delay, Status = WorkflowRunStatus.Running, Error = Summarise(failure) });
        return false;
    }

    /// <summary>
    /// The run failed: <c>WorkflowFailed</c>, an <c>Escalated</c> by automation to the team's L1 queue and a word to the
    /// requester, all in one transaction. A ticket nobody is assigned to goes back to <c>Open</c>: the run had it in
    /// progress, and now it waits for a person to pick it up. The queue learns of it from its own card, which the queue's
    /// publisher posts (or updates) with what failed (<see cref="Core.Queues.QueueCards.AutomationFailure"/>): one post, not a notice
    /// and then the card.
    /// </summary>
    private async Task FailAsync(WorkflowRun run, WorkflowStep? step, string error, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(run.Ticket, cancellationToken);
        var now = clock.GetUtcNow();
        var failedData = new Dictionary<string, string> { [EventData.Workflow] = run.Workflow, [EventData.Run] = run.Id, [EventData.Error] = error };
        if (step is not null)
        {
            failedData[EventData.Step] = step.Index.ToString(CultureInfo.InvariantCulture);
        }

        var events = new List<TicketEvent> { TicketEvent.New(run.Ticket, EventType.WorkflowFailed, now, AutomationMessages.Actor, ActorKind.Automation, failedData, WorkflowKeys.RunFailed(run.Id)) };
        var messages = new List<OutboundMessage>();
        if (ticket.IsOpen)
        {
            events.Add(TicketEvent.New(run.Ticket, EventType.Escalated, now, AutomationMessages.Actor, ActorKind.Automation,
                new Dictionary<string, string>
                {
                    [EventData.FromTier] = ticket.Tier,
                    [EventData.FromTeam] = ticket.Team,
                    [EventData.ToTier] = "L1",
                    [EventData.ToTeam] = ticket.Team,
                    [EventData.Reason] = $"Automation failed: {error}",
                    [EventData.Run] = run.Id,
                },
                $"{run.Id}:escalated"));
            if (ticket.Assignee is null)
            {
                events.AddRange(StatusTo(ticket, TicketStatus.Open, now, $"{run.Id}:failed:open"));
            }

            if (ticket.Conversation is { } origin)
            {
                messages.Add(new OutboundMessage
                {
                    Id = $"{run.Id}:failed:requester",
                    Conversation = new ConversationRef(ticket.Channel, origin, ticket.Thread),
                    Card = new Card { Title = $"{ticket.Key} is with the {ticket.Team} team", Text = "I couldn't finish this automatically, so a person from the team will pick it up here.", Context = ticket.Key },
                    Ticket = ticket.Key,
                    CreatedAt = now,
                });
            }
        }

        await RecordAsync(run.Ticket, events, messages, cancellationToken);
        await runs.SaveAsync(run with { Status = WorkflowRunStatus.Failed, Error = error });
        Log.RunFailed(logger, run.Id, run.Ticket, error);
    }

    private static string Summarise(Exception ex)
    {
        var text = ex switch
        {
            TaskCanceledException => "The call timed out.",
            HttpRequestException http when http.StatusCode is { } code => $"{(int)code} {code}: {http.Message}",
            _ => ex.Message,
        };
        return text.Length > 300 ? text[..300] : text;
    }

    private static Dictionary<string, string> StepData(WorkflowRun run, WorkflowStep step) => new()
    {
        [EventData.Workflow] = run.Workflow,
        [EventData.Run] = run.Id,
        [EventData.Step] = step.Index.ToString(CultureInfo.InvariantCulture),
        ["stepId"] = step.Id,
        ["kind"] = step.Kind.YamlName(),
    };

    private static TicketEvent StepCompleted(WorkflowRun run, WorkflowStep step, DateTimeOffset at, IReadOnlyDictionary<string, string> outputs)
    {
        var data = StepData(run, step);
        foreach (var (key, value) in outputs)
        {
            data[$"out.{key}"] = value;
        }

        return TicketEvent.New(run.Ticket, EventType.WorkflowStepCompleted, at, AutomationMessages.Actor, ActorKind.Automation, data, WorkflowKeys.StepCompleted(run.Id, step.Index));
    }

    private static TicketEvent RunCompleted(WorkflowRun run, DateTimeOffset at) =>
        TicketEvent.New(run.Ticket, EventType.WorkflowCompleted, at, AutomationMessages.Actor, ActorKind.Automation,
            new Dictionary<string, string> { [EventData.Workflow] = run.Workflow, [EventData.Run] = run.Id, [EventData.Outcome] = "completed" },
            WorkflowKeys.RunCompleted(run.Id));

    private static bool AlreadyIn(Ticket ticket, TicketEvent e) =>
        e.Type == EventType.StatusChanged && e.Get(EventData.Status) == ticket.Status.ToString();

    private static IEnumerable<TicketEvent> StatusTo(Ticket ticket, TicketStatus status, DateTimeOffset at, string id) =>
        StatusRules.CanChange(ticket.Status, status)
            ? [TicketEvent.New(ticket.Key, EventType.StatusChanged, at, AutomationMessages.Actor, ActorKind.Automation, new Dictionary<string, string> { [EventData.Status] = status.ToString() }, id)]
            : [];

    /// <summary>
    /// Appends the events not yet in the log, checked against the ticket's rules, with the messages, in one transaction.
    /// When all of them are already there (the replay of a finished step) nothing is appended and no message is sent again.
    /// When only some are (the expiry service recorded the <c>ApprovalExpired</c> this batch also carries, between this
    /// pass's read and its write), the messages go with the rest: their ids are the run's and step's, and the outbox
    /// leaves out one it holds already. Sending none then lost "Nobody decided on the approval in time".
    /// </summary>
    private async Task RecordAsync(string ticketKey, IReadOnlyList<TicketEvent> events, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        var present = await log.ContainsAsync([.. events.Select(e => e.Id)], cancellationToken);
        var fresh = events.Where(e => !present.Contains(e.Id)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        // A move to the status the ticket has reached meanwhile (another run on the ticket made it; the change is decided
        // again after a concurrent write) is left out rather than refused as a move to where the ticket already is.
        await tickets.ChangeAsync(ticketKey, (ticket, _) => fresh.Where(e => !AlreadyIn(ticket, e)).Select(ticket.Record).ToList(), _ => messages, cancellationToken);
    }

    private Dictionary<string, string> Values(WorkflowRun run, WorkflowDefinition definition, Ticket ticket, Person? requester, IReadOnlyList<TicketEvent> history)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ticket"] = ticket.Key,
            ["run"] = run.Id,
            ["workflow"] = definition.Name,
            ["requester.id"] = run.Requester,
            ["requester.name"] = DirectoryNames.NameOf(requester, run.Requester),
            ["requester.email"] = requester?.Email ?? "",
        };
        foreach (var (slot, value) in run.Slots)
        {
            // A duration is kept as "3d" and read by people as "3 days"; a step that takes it (grant_access) reads either.
            values[$"slots.{slot}"] = slot == "duration" && DurationText.TryParse(value, out var duration) ? DurationText.Describe(duration) : value;
        }

        if (run.Slots.TryGetValue("application", out var appName) && applications.Find(appName) is { } app)
        {
            values["application.id"] = app.Id;
            values["application.name"] = app.Name;
            values["application.group"] = app.Group;
            if (app.AdminGroup is { } admins)
            {
                values["application.admin_group"] = admins;
            }
        }

        foreach (var done in history.Where(e => e.Type == EventType.WorkflowStepCompleted && e.Get(EventData.Run) == run.Id))
        {
            var stepId = done.Get("stepId");
            foreach (var (key, value) in done.Data.Where(d => d.Key.StartsWith("out.", StringComparison.Ordinal)))
            {
                values[$"steps.{stepId}.{key[4..]}"] = value;
            }
        }

        return values;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Run {RunId} of {Workflow} started on {Ticket}")]
        public static partial void RunStarted(ILogger logger, string runId, string workflow, string ticket);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Run {RunId} step {Step} ({Kind}) completed")]
        public static partial void StepCompleted(ILogger logger, string runId, int step, StepKind kind);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Run {RunId} step {Step} attempt {Attempt} failed")]
        public static partial void StepFailed(ILogger logger, Exception exception, string runId, int step, int attempt);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "Run {RunId} on {Ticket} failed: {Error}")]
        public static partial void RunFailed(ILogger logger, string runId, string ticket, string error);

        [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Run {RunId} completed on {Ticket}")]
        public static partial void RunCompleted(ILogger logger, string runId, string ticket);

        [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Run {RunId} waits for approval of step {Step} by {Approvers}")]
        public static partial void WaitingForApproval(ILogger logger, string runId, int step, string approvers);

        [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Run {RunId} ended: approval {Outcome}")]
        public static partial void RunEndedByApproval(ILogger logger, string runId, string outcome);

        [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "Run {RunId} cancelled: {Ticket} was resolved or taken over by an agent")]
        public static partial void RunCancelled(ILogger logger, string runId, string ticket);

        [LoggerMessage(EventId = 5109, Level = LogLevel.Error, Message = "Resuming run {RunId} failed")]
        public static partial void ResumeFailed(ILogger logger, Exception exception, string runId);
    }
}
