using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Sla;

/// <summary>
/// A team's SLA: its business calendar and its targets per priority (DESIGN §4 "SLA compliance").
/// The clocks run in business time from creation, pause while the ticket waits on its requester,
/// stop while it is resolved and run again from a reopen; a priority change applies its target from
/// that instant on, to the business time already counted. The response clock stops at the first reply
/// from an agent or automation, or at a resolution if that comes first (the resolution answers the requester).
/// </summary>
public sealed class SlaPolicy(BusinessCalendar calendar, IReadOnlyDictionary<string, SlaTarget> targets)
{
    public BusinessCalendar Calendar { get; } = calendar;

    public IReadOnlyDictionary<string, SlaTarget> Targets { get; } = targets;

    public static SlaPolicy For(SupportTeam team) =>
        new(BusinessCalendar.For(team), new Dictionary<string, SlaTarget>(team.Sla ?? [], StringComparer.OrdinalIgnoreCase));

    public SlaClock Evaluate(IEnumerable<TicketEvent> events, DateTimeOffset asOf) =>
        Evaluate(SlaStep.FromEvents(events).ToArray(), asOf);

    /// <summary>The clocks at <paramref name="asOf"/>; steps after it are ignored. Steps must be in time order.</summary>
    public SlaClock Evaluate(ReadOnlySpan<SlaStep> steps, DateTimeOffset asOf)
    {
        var priority = "P3";
        var response = new Runner(Calendar);
        var resolution = new Runner(Calendar);
        foreach (var step in steps)
        {
            if (step.At > asOf)
            {
                break;
            }

            response.Advance(step.At);
            resolution.Advance(step.At);
            switch (step.Kind)
            {
                case SlaStepKind.Created:
                    priority = step.Priority ?? priority;
                    response.Start(step.At, Targets.GetValueOrDefault(priority)?.FirstResponse);
                    resolution.Start(step.At, Targets.GetValueOrDefault(priority)?.Resolution);
                    break;
                case SlaStepKind.PriorityChanged:
                    priority = step.Priority ?? priority;
                    response.Retarget(step.At, Targets.GetValueOrDefault(priority)?.FirstResponse);
                    resolution.Retarget(step.At, Targets.GetValueOrDefault(priority)?.Resolution);
                    break;
                case SlaStepKind.Responded:
                    response.Complete(step.At);
                    break;
                case SlaStepKind.Waiting:
                    response.Pause();
                    resolution.Pause();
                    break;
                case SlaStepKind.Working:
                    response.Resume();
                    resolution.Resume();
                    break;
                case SlaStepKind.Resolved:
                    response.Complete(step.At);
                    resolution.Complete(step.At);
                    break;
                case SlaStepKind.Closed:
                    // Closing follows a resolution; a close without one still stops the clocks.
                    response.Complete(step.At);
                    resolution.Complete(step.At);
                    break;
                case SlaStepKind.Reopened:
                    resolution.Reopen();
                    // A priority changed while the ticket was resolved (an imported history) applies from the reopen.
                    resolution.Retarget(step.At, Targets.GetValueOrDefault(priority)?.Resolution);
                    break;
            }
        }

        response.Advance(asOf);
        resolution.Advance(asOf);
        return new SlaClock(priority, response.Result(asOf), resolution.Result(asOf));
    }

    private sealed class Runner(BusinessCalendar calendar)
    {
        private bool _started;
        private bool _paused;
        private DateTimeOffset? _completedAt;
        private DateTimeOffset _last;
        private TimeSpan _elapsed;
        private TimeSpan? _target;
        private DateTimeOffset? _deadline;

        private bool Running => _started && !_paused && _completedAt is null;

        public void Start(DateTimeOffset at, TimeSpan? target)
        {
            _started = true;
            _last = at;
            _target = target;
        }

        public void Advance(DateTimeOffset to)
        {
            if (!_started || to <= _last)
            {
                return;
            }

            if (Running)
            {
                var add = calendar.Between(_last, to);
                if (_deadline is null && _target is { } target && _elapsed + add >= target)
                {
                    _deadline = calendar.Add(_last, target - _elapsed);
                }

                _elapsed += add;
            }

            _last = to;
        }

        public void Retarget(DateTimeOffset at, TimeSpan? target)
        {
            if (_completedAt is not null)
            {
                return;
            }

            _target = target;
            if (target is not { } t || _elapsed < t)
            {
                // The deadline is where the clock reaches the current priority's target (DESIGN §4): a lowered priority
                // whose longer target is not used up yet is not breached, even if the old one was (Freshservice and Jira
                // Service Management recalculate the due time the same way). Kept, the old deadline showed the ticket
                // breached against the new target and the monitor announced a breach of it at the old priority's due time.
                _deadline = null;
            }
            else if (_deadline is null)
            {
                // A new, shorter target that the clock has already passed is reached the moment it applies.
                _deadline = at;
            }
        }

        public void Pause() => _paused = true;

        public void Resume() => _paused = false;

        public void Complete(DateTimeOffset at) => _completedAt ??= at;

        public void Reopen()
        {
            _completedAt = null;
            _paused = false;
        }

        public SlaTimer Result(DateTimeOffset asOf)
        {
            var deadline = _deadline;
            if (deadline is null && Running && _target is { } target)
            {
                deadline = calendar.Add(asOf, target - _elapsed);
            }

            return new SlaTimer(_target, _elapsed, deadline, _completedAt, Running, asOf);
        }
    }
}
