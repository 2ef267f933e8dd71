using ItChatBot.Core.Sla;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// The KPI rollups: one <see cref="TicketFacts"/> per ticket, mirrored into <see cref="Columns"/> for scanning,
/// plus the non-ticket facts (surveys, deflections, workflow runs, approvals, access), maintained incrementally
/// from the event log. Every query first applies the events appended since the last one, so the numbers always
/// match the log; a restart rebuilds from the log (it is a projection, never a source of truth).
/// </summary>
public sealed class KpiIndex(IEventLog log, SlaPolicies sla)
{
    private static readonly HashSet<string> SideEffectSteps = new(StringComparer.OrdinalIgnoreCase) { "directory", "grant_access", "http" };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly FollowUps _followUps = new();
    private readonly Dictionary<int, string> _lastRunOfTicket = [];
    private readonly Dictionary<string, List<ApprovalFacts>> _approvalsByRun = new(StringComparer.Ordinal);
    private readonly HashSet<int> _dirty = [];
    private readonly Dictionary<string, SurveyAnswer> _answersById = new(StringComparer.Ordinal);
    private long _lastSeq;

    public Dims Teams { get; } = new();
    public Dims Categories { get; } = new();
    public Dims Priorities { get; } = new();
    public Dims Channels { get; } = new();
    public Dims People { get; } = new();

    public List<TicketFacts> Tickets { get; } = [];

    /// <summary>The scanned fields of <see cref="Tickets"/>, one array per field; current after every catch-up.</summary>
    public TicketColumns Columns { get; } = new();
    public List<SurveyAnswer> Answers { get; } = [];
    public List<(long At, int Ticket)> SurveysSent { get; } = [];
    public List<Deflection> Deflections { get; } = [];
    public Dictionary<string, RunFacts> Runs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ApprovalFacts> Approvals { get; } = new(StringComparer.Ordinal);
    public List<GatedAction> GatedActions { get; } = [];
    public List<AccessRecord> Access { get; } = [];

    public long LastSeq => _lastSeq;

    public SlaPolicies Sla => sla;

    /// <summary>Runs <paramref name="query"/> over rollups that include every event in the log.</summary>
    public async Task<T> QueryAsync<T>(Func<KpiIndex, T> query, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await CatchUpAsync(cancellationToken);
            return query(this);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// FCR follow-up: another ticket by the same requester in the same category created in
    /// (final resolution, final resolution + <paramref name="window"/>].
    /// </summary>
    public bool HasFollowUp(int ticket, long window)
    {
        var next = Columns.NextInGroup[ticket];
        return next != TicketFacts.None && next <= Columns.Resolved[ticket] + window;
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        // No LastSeqAsync check first: reading after the last position is an index seek that finds nothing when
        // nothing is new, while LiteDB's LastSeqAsync counts the whole log (see benchmarks/README.md "KPI engine").
        await foreach (var e in log.ReadAllAsync(_lastSeq, cancellationToken))
        {
            Apply(e);
            _lastSeq = Math.Max(_lastSeq, e.Seq);
        }

        Flush();
    }

    /// <summary>Works out the derived values of the tickets whose events changed and copies them into the columns.</summary>
    private void Flush()
    {
        foreach (var index in _dirty)
        {
            var t = Tickets[index];
            Refresh(t);
            Columns.Write(t, t.Group);
            _followUps.Refresh(index, Columns);
        }

        _followUps.RefreshGroups(Columns);
        _dirty.Clear();
    }

    /// <summary>Folds one event into the rollups; the derived values and columns follow at the next <see cref="ApplyAll"/> or query.</summary>
    public void Apply(TicketEvent e)
    {
        var at = e.At.ToUnixTimeMilliseconds();
        if (e.Type == EventType.Deflected)
        {
            Deflections.Add(new Deflection(at, Teams.Id(e.Get(EventData.Team) ?? ""), Categories.Id(e.Get(EventData.Category) ?? "general")));
            return;
        }

        if (e.Ticket is null)
        {
            return;
        }

        var t = FactsOf(e.Ticket);
        _dirty.Add(t.Index);
        if (OutcomeClassifier.IsAgentAct(e))
        {
            t.AgentActed = true;
        }

        if (SlaStep.From(e) is { } step)
        {
            t.SlaSteps.Add(new SlaMoment(step.At.UtcTicks, step.Kind, Priorities.Id(step.Priority)));
            t.SlaDirty = true;
        }

        switch (e.Type)
        {
            case EventType.Created:
                t.Team = Teams.Id(e.Get(EventData.Team) ?? "");
                t.CreatedTeam = Teams.Name(t.Team); // the dimension's one copy, not each event's own string
                t.Category = Categories.Id(e.Get(EventData.Category) ?? "general");
                t.Priority = Priorities.Id(e.Get(EventData.Priority) ?? "P3");
                t.Channel = Channels.Id(e.Get(EventData.Channel) ?? "");
                t.Requester = People.Id(e.Get(EventData.Requester) ?? e.Actor);
                JoinGroup(t, at);
                break;
            case EventType.Responded when e.ActorKind is ActorKind.Agent or ActorKind.Automation && t.FirstResponse == TicketFacts.None:
                t.FirstResponse = at;
                break;
            case EventType.Assigned:
                var assignee = e.Get(EventData.Assignee);
                t.Assignee = People.Id(assignee);
                if (assignee is { Length: > 0 } && assignee != "automation")
                {
                    (t.Assignees ??= []).Add(t.Assignee);
                }

                break;
            case EventType.Escalated:
                t.Escalations++;
                var to = People.Id(e.Get(EventData.Assignee));
                (t.EscalationPairs ??= []).Add((People.Id(e.Actor), to, at));
                if (e.Get(EventData.ToTeam) is { Length: > 0 } toTeam)
                {
                    t.Team = Teams.Id(toTeam);
                }

                t.Assignee = to;
                if (to >= 0)
                {
                    (t.Assignees ??= []).Add(to);
                }

                break;
            case EventType.PriorityChanged when Priority.IsValid(e.Get(EventData.Priority)):
                t.Priority = Priorities.Id(e.Get(EventData.Priority));
                break;
            case EventType.CategoryChanged when e.Get(EventData.Category) is { Length: > 0 } category && t.Group >= 0:
                // The ticket moves to its requester's group of the new category, with its own creation time: FCR's
                // follow-up rule compares it with that category's tickets from now on.
                t.Category = Categories.Id(category);
                JoinGroup(t, t.Created);
                break;
            case EventType.WorkflowStarted:
                t.WorkflowStarted = true;
                var runId = e.Get(EventData.Run) ?? e.Id;
                Runs[runId] = new RunFacts { Id = runId, Ticket = t.Index, Team = t.Team, Started = at, Workflow = e.Get(EventData.Workflow) };
                _lastRunOfTicket[t.Index] = runId;
                break;
            case EventType.WorkflowCompleted:
                t.WorkflowCompleted = true;
                EndRun(e, t, at, failed: false);
                break;
            case EventType.WorkflowFailed:
                EndRun(e, t, at, failed: true);
                break;
            case EventType.Overridden:
                if (RunOf(e, t) is { } overridden)
                {
                    overridden.Overridden = true;
                }

                break;
            case EventType.ApprovalRequested:
                var request = ApprovalOf(e, t);
                request.Requested = at;
                request.Approvers = e.Get(EventData.Approver)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } listed ? listed : null;
                request.Requester = e.Get(EventData.Requester);
                if (RunOf(e, t) is { } gated)
                {
                    gated.HasApprovalGate = true;
                }

                break;
            case EventType.ApprovalDecided:
                var decision = ApprovalOf(e, t);
                decision.Decided = at;
                decision.DecidedBy = e.Get(EventData.By) ?? e.Actor;
                decision.Approved = string.Equals(e.Get(EventData.Decision), "approved", StringComparison.OrdinalIgnoreCase);
                decision.Denied = !decision.Approved;
                if (decision.Approved)
                {
                    (decision.Approvals ??= []).Add((at, decision.DecidedBy));
                }

                break;
            case EventType.ApprovalExpired:
                ApprovalOf(e, t).Expired = at;
                break;
            case EventType.WorkflowStepCompleted when SideEffectSteps.Contains(e.Get("kind") ?? "") && RunOf(e, t) is { HasApprovalGate: true } run:
                GatedActions.Add(new GatedAction(at, t.Index, run.Id, IsApproved(_approvalsByRun.GetValueOrDefault(run.Id, []), People.Name(t.Requester), at)));
                break;
            case EventType.AccessGranted or EventType.AccessRevoked:
                Access.Add(new AccessRecord(at, t.Index, e.Type == EventType.AccessGranted, e.Get(EventData.Resource) ?? "", e.Get(EventData.Role),
                    People.Name(t.Requester), e.Get(EventData.Approver) ?? e.Get(EventData.By),
                    e.GetTime(EventData.ExpiresAt)?.ToUnixTimeMilliseconds() ?? TicketFacts.None, e.Get(EventData.Outcome),
                    e.Get("alreadyMember") switch { "true" => true, "false" => false, _ => null }, e.Get("keptBy")));
                break;
            case EventType.Resolved:
                t.Transitions?.Add(at);
                t.FinalResolved = at;
                // DESIGN §3, folded: the flags hold everything up to this resolution.
                t.Outcome = !t.WorkflowStarted ? Outcome.Unassisted
                    : t.WorkflowCompleted && e.ActorKind == ActorKind.Automation && !t.AgentActed ? Outcome.AiResolved
                    : Outcome.AiAssisted;
                break;
            case EventType.Reopened:
                t.EverReopened = true;
                if (t.FinalResolved != TicketFacts.None)
                {
                    t.Transitions ??= [t.FinalResolved];
                }

                (t.Transitions ??= []).Add(-at);
                t.FinalResolved = TicketFacts.None;
                t.Outcome = null;
                break;
            case EventType.SurveySent:
                SurveysSent.Add((at, t.Index));
                break;
            case EventType.SurveyAnswered when e.GetInt(EventData.Score) is >= 1 and <= 5:
                // A changed answer names the one it replaces: only the latest answer of a resolution counts, so a
                // change is not a second answer (which would also lift the response rate above its surveys).
                if (e.Get(Queues.QueueEventData.Replaces) is { } replaced && _answersById.Remove(replaced, out var earlier))
                {
                    Answers.Remove(earlier);
                }

                var answer = new SurveyAnswer(at, t.Index, e.GetInt(EventData.Score)!.Value);
                Answers.Add(answer);
                _answersById[e.Id] = answer;
                break;
        }
    }

    /// <summary>Records the creation in the ticket's requester+category group (FCR follow-ups).</summary>
    private void JoinGroup(TicketFacts t, long created)
    {
        t.Group = _followUps.Join(t.Index, t.Group, t.Created, t.Requester, t.Category, created);
        t.Created = created;
    }

    private TicketFacts FactsOf(string key)
    {
        if (!_byKey.TryGetValue(key, out var index))
        {
            index = Tickets.Count;
            _byKey[key] = index;
            Tickets.Add(new TicketFacts { Index = index, Key = key });
        }

        return Tickets[index];
    }

    private RunFacts? RunOf(TicketEvent e, TicketFacts t) =>
        e.Get(EventData.Run) is { } id ? Runs.GetValueOrDefault(id)
        : _lastRunOfTicket.TryGetValue(t.Index, out var last) ? Runs.GetValueOrDefault(last) : null;

    private void EndRun(TicketEvent e, TicketFacts t, long at, bool failed)
    {
        if (RunOf(e, t) is { } run && run.Ended == TicketFacts.None)
        {
            run.Ended = at;
            run.Failed = failed;
        }
    }

    private ApprovalFacts ApprovalOf(TicketEvent e, TicketFacts t)
    {
        var run = e.Get(EventData.Run) ?? (_lastRunOfTicket.TryGetValue(t.Index, out var last) ? last : t.Key);
        var key = $"{run}#{e.Get(EventData.Step)}";
        if (!Approvals.TryGetValue(key, out var approval))
        {
            Approvals[key] = approval = new ApprovalFacts { Run = run, Ticket = t.Index };
            if (!_approvalsByRun.TryGetValue(run, out var list))
            {
                _approvalsByRun[run] = list = [];
            }

            list.Add(approval);
        }

        return approval;
    }

    /// <summary>
    /// DESIGN §4 approval enforcement: an <c>approved</c> decision of the run, at or before <paramref name="at"/>, by
    /// someone other than the requester whom the run/step's <c>ApprovalRequested</c> lists as an approver. A decision
    /// with no request of its own step (it names no step) is checked against every request of the run. Two cases the
    /// log cannot decide are trusted, since the gate checked them when it recorded the decision: a request that lists
    /// a <c>group:NAME</c> (membership at that time is not in the log) and a request with no <c>approver</c> field
    /// (histories written before it was recorded).
    /// </summary>
    private static bool IsApproved(List<ApprovalFacts> approvals, string requester, long at)
    {
        foreach (var a in approvals)
        {
            foreach (var (decided, by) in a.Approvals ?? [])
            {
                if (decided <= at && !Same(by, requester) && !Same(by, a.Requester) && IsListed(a.Requested != TicketFacts.None ? [a] : approvals, by))
                {
                    return true;
                }
            }
        }

        return false;

        static bool Same(string? x, string? y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase);

        static bool IsListed(List<ApprovalFacts> requests, string by)
        {
            var any = false;
            foreach (var r in requests)
            {
                if (r.Requested == TicketFacts.None)
                {
                    continue;
                }

                any = true;
                if (r.Approvers is null || r.Approvers.Any(x => Same(x, by) || x.StartsWith("group:", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }

            return !any; // no request recorded at all: nothing to check against, as before
        }
    }

    /// <summary>Recomputes the SLA clocks and business-hours resolution time of a changed ticket.</summary>
    private void Refresh(TicketFacts t)
    {
        if (!t.SlaDirty || !t.Exists)
        {
            return;
        }

        var moments = t.SlaSteps;
        if (!IsSorted(moments))
        {
            moments.Sort((a, b) => a.UtcTicks.CompareTo(b.UtcTicks));
        }

        var steps = new SlaStep[moments.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            var m = moments[i];
            steps[i] = new SlaStep(new DateTimeOffset(m.UtcTicks, TimeSpan.Zero), m.Kind, m.Priority < 0 ? null : Priorities.Name(m.Priority));
        }

        moments.TrimExcess(); // most tickets get no more events once resolved
        var policy = sla.For(t.CreatedTeam);
        var clock = policy.Evaluate(steps, steps[^1].At);
        t.ResponseHasTarget = clock.Response.HasTarget;
        t.ResponseDeadline = Ms(clock.Response.Deadline);
        t.ResponseCompleted = Ms(clock.Response.CompletedAt);
        t.ResolutionHasTarget = clock.Resolution.HasTarget;
        t.ResolutionDeadline = Ms(clock.Resolution.Deadline);
        t.ResolutionCompleted = Ms(clock.Resolution.CompletedAt);
        t.BusinessHoursToResolve = t.IsResolved
            ? policy.Calendar.Between(DateTimeOffset.FromUnixTimeMilliseconds(t.Created), DateTimeOffset.FromUnixTimeMilliseconds(t.FinalResolved)).TotalHours
            : double.NaN;
        t.SlaDirty = false;
    }

    private static long Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds() ?? TicketFacts.None;

    private static bool IsSorted(List<SlaMoment> steps)
    {
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i].UtcTicks < steps[i - 1].UtcTicks)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies events held in memory (benchmarks, tests) and refreshes what they changed.</summary>
    public void ApplyAll(IEnumerable<TicketEvent> events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }

        Flush();
    }
}
