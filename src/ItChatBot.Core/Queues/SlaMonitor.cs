using System.Collections.Frozen;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

/// <summary>
/// One pass over the open tickets: posts any that need a human and are not in their queue yet (automation that
/// gave up outside a conversation turn), and warns the queue once when an SLA clock has used
/// <see cref="QueueOptions.WarnAt"/> of its target and once when it breaches. Warnings are remembered per
/// ticket, clock, level and priority, so a re-prioritised ticket is warned against its new target. Where the team's
/// settings say so for the priority (<see cref="SlaTarget.EscalateOnBreach"/>), a resolution breach also escalates the
/// ticket to that tier, once per ticket and priority, and the breach notice says so.
/// </summary>
/// <remarks>
/// A pass looks again only at the tickets that may have something new: those with events since it last looked, and
/// those whose clocks may have reached a threshold since (the warning share of a target, or the target itself). A
/// business-hours clock never runs faster than the wall clock, so the earliest instant a threshold can be reached is
/// the time still needed on that clock, counted from the look before. Reading every open ticket's events each minute
/// took half a second with 9,000 open tickets, and the collections its allocations caused paused the whole process,
/// Slack acknowledgements included, for 10–17 ms at a time. The first pass after a start looks at every open ticket.
/// The list of open tickets a pass starts from holds their keys and versions alone, and a ticket is read whole only
/// when it is looked at: a list of every open ticket, whole, lived through the collections of a long pass.
/// </remarks>
public sealed class SlaMonitor(
    ITicketStore tickets,
    IEventLog log,
    TicketService changes,
    SlaPolicies policies,
    QueuePublisher publisher,
    IQueueStore store,
    OutboxSignal signal,
    IOptions<QueueOptions> options,
    TimeProvider clock)
{
    /// <summary>The actor of the monitor's own events, as of the other system events (an approval's expiry).</summary>
    public const string SystemActor = "system";

    // Per open ticket: the last event the pass saw, when it looked, and the earliest instant one of its clocks can reach a
    // threshold. One pass runs at a time (the background service awaits each), so no lock.
    private Dictionary<string, Look> _looked = new(StringComparer.Ordinal);

    public async Task<SlaMonitorPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await publisher.LinkPendingThreadsAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var open = await tickets.OpenVersionsAsync(cancellationToken);
        var looked = new Dictionary<string, Look>(open.Count, StringComparer.Ordinal);
        int posted = 0, warnings = 0, breaches = 0, examined = 0, escalations = 0;
        foreach (var version in open)
        {
            if (_looked.TryGetValue(version.Key, out var before) && before.LastSeq == version.LastSeq && before.At <= now && now < before.NextThreshold)
            {
                looked[version.Key] = before;
                continue;
            }

            // Read whole only when it is looked at; it may have been resolved since the list was read.
            if (await tickets.GetAsync(version.Key, cancellationToken) is not { IsOpen: true } ticket)
            {
                continue;
            }

            examined++;
            var events = await log.ReadTicketAsync(ticket.Key, cancellationToken);
            // A new post's cards are in the outbox already, stored with the post.
            posted += (await publisher.EnsurePostedAsync(ticket, events, cancellationToken)).Count > 0 ? 1 : 0;

            var clocks = policies.Evaluate(events, now);
            var policy = policies.For(events.FirstOrDefault(e => e.Type == EventType.Created)?.Get(EventData.Team));
            var zone = policy.Calendar.TimeZone;
            var (escalated, escalation, appended) = await EscalateOnBreachAsync(ticket, events, policy, clocks, now, cancellationToken);
            if (appended)
            {
                ticket = escalated;
                escalations++;
                // Escalated, the ticket needs a human even if automation was still working on it: it goes on the queue now,
                // so that the notice below lands in its card's thread.
                posted += (await publisher.EnsurePostedAsync(ticket, await log.ReadTicketAsync(ticket.Key, cancellationToken), cancellationToken)).Count > 0 ? 1 : 0;
            }

            var notes = new List<string>();
            var marks = new List<string>();
            int ticketWarnings = 0, ticketBreaches = 0;
            (string Name, SlaTimer Timer)[] timers = [("first response", clocks.Response), ("resolution", clocks.Resolution)];
            // One read of the marks either clock may have: none when neither has reached a threshold.
            var due = timers.SelectMany(t => Due(ticket.Key, clocks.Priority, t.Timer, t.Name)).ToList();
            var escalationMark = EscalationMark(ticket.Key, clocks.Priority);
            if (escalation is not null)
            {
                due.Add(escalationMark);
            }

            var marked = due.Count == 0 ? FrozenSet<string>.Empty : await store.MarkedAsync(due, cancellationToken);
            foreach (var (name, timer) in timers)
            {
                var (level, newMarks) = Check(ticket.Key, clocks.Priority, timer, name, marked, now);
                marks.AddRange(newMarks);
                switch (level)
                {
                    case Level.Breach:
                        ticketBreaches++;
                        notes.Add($"Breach: the {name} SLA ({clocks.Priority}, {SlaView.WorkingTime(timer.Target!.Value)}) is *breached*: it was due {SlaView.Local(timer.Deadline!.Value, zone)}.");
                        break;
                    case Level.Warning:
                        ticketWarnings++;
                        notes.Add($"Warning: {Percent(timer)} of the {name} SLA ({clocks.Priority}, {SlaView.WorkingTime(timer.Target!.Value)}) is used: {SlaView.Describe(timer, zone)}.");
                        break;
                }
            }

            if (escalation is not null && !marked.Contains(escalationMark))
            {
                // Told once, with the breach notice when it goes out in the same pass; from the log, so an escalation
                // stored by a pass that stopped before its notice is told by the next one.
                var moved = $"Escalated automatically from {escalation.Get(EventData.FromTeam)} {escalation.Get(EventData.FromTier)} to {escalation.Get(EventData.ToTeam)} {escalation.Get(EventData.ToTier)}.";
                var breachNote = notes.FindIndex(n => n.StartsWith("Breach: the resolution SLA", StringComparison.Ordinal));
                if (breachNote >= 0)
                {
                    notes[breachNote] += $" {moved}";
                }
                else
                {
                    notes.Add($"{moved.TrimEnd('.')}: {escalation.Get(EventData.Reason)}");
                }

                marks.Add(escalationMark);
            }

            if (marks.Count > 0)
            {
                // The marks and the notice (with the card brought up to date) in one write: a crash keeps both or
                // neither, and the next pass then warns again.
                var messages = notes.Count == 0
                    ? []
                    : (List<OutboundMessage>)[
                        .. await publisher.ToQueueAsync(ticket, QueueCards.Notice($"{ticket.Key} SLA", string.Join('\n', notes)), cancellationToken, fallbackToChannel: true),
                        .. (await publisher.PublishAsync(ticket.Key, cancellationToken)).Where(m => m.UpdateOf is not null)];
                if (await store.TryMarkOnceAsync(marks, now, messages, cancellationToken))
                {
                    warnings += ticketWarnings;
                    breaches += ticketBreaches;
                    if (messages.Count > 0)
                    {
                        signal.Notify();
                    }
                }
            }

            looked[ticket.Key] = new Look(ticket.LastSeq, now, Later(now, UntilThreshold(clocks.Response), UntilThreshold(clocks.Resolution)));
        }

        // Tickets no longer open are forgotten.
        _looked = looked;

        return new SlaMonitorPass(open.Count, posted, warnings, breaches, examined, escalations);
    }

    /// <summary>
    /// The escalation of a breached resolution clock (<see cref="SlaTarget.EscalateOnBreach"/>): the one the log holds for
    /// this ticket and priority, or one recorded now, through the rules of <c>/it escalate</c>
    /// (<see cref="QueueDesk.EscalateToTier"/>), when the ticket is below the tier the settings name. Its event id is
    /// fixed per ticket and priority, so the log (not this process's memory, nor the notice's mark) decides that a
    /// breach is escalated once, across restarts and passes on other instances alike. A breach older than
    /// <see cref="QueueOptions.SlaNoticeMaxAge"/> (an imported or seeded backlog) is not escalated, as it is not announced.
    /// </summary>
    private async Task<(Ticket Ticket, TicketEvent? Escalation, bool Appended)> EscalateOnBreachAsync(
        Ticket ticket, IReadOnlyList<TicketEvent> events, SlaPolicy policy, SlaClock clocks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timer = clocks.Resolution;
        if (Counting(timer) is not { } target || !timer.IsBreached)
        {
            return (ticket, null, false);
        }

        var id = QueueIds.SlaEscalation(ticket.Key, clocks.Priority);
        if (events.FirstOrDefault(e => e.Id == id) is { } before)
        {
            return (ticket, before, false);
        }

        if (Tiers.Named(policy.Targets.GetValueOrDefault(clocks.Priority)?.EscalateOnBreach) is not { } tier
            || Tiers.Rank(tier) <= Tiers.Rank(ticket.Tier)
            || now - timer.Deadline!.Value > options.Value.SlaNoticeMaxAge)
        {
            return (ticket, null, false);
        }

        var data = new Dictionary<string, string>
        {
            [EventData.By] = SystemActor,
            [EventData.Reason] = $"the resolution SLA ({clocks.Priority}, {SlaView.WorkingTime(target)}) is breached: it was due {SlaView.Local(timer.Deadline.Value, policy.Calendar.TimeZone)}.",
        };
        // Decided again on the ticket as it is when written: an agent may have escalated or resolved it meanwhile.
        var (changed, recorded) = await changes.ChangeAsync(
            ticket.Key,
            (t, at) => t.IsOpen && Tiers.Rank(tier) > Tiers.Rank(t.Tier) ? QueueDesk.EscalateToTier(t, at, SystemActor, ActorKind.System, tier, data, id) : [],
            cancellationToken: cancellationToken);
        return recorded.FirstOrDefault(e => e.Id == id) is { } escalation ? (changed, escalation, true) : (changed, null, false);
    }

    /// <summary>
    /// The least wall-clock time before <paramref name="timer"/> can reach its next threshold (the warning share of its
    /// target, then the target): its business-hours clock runs at most as fast as the wall clock, and not at all while
    /// paused. <see cref="TimeSpan.MaxValue"/> when nothing is left to reach by time alone.
    /// </summary>
    private TimeSpan UntilThreshold(SlaTimer timer)
    {
        if (Counting(timer) is not { } target)
        {
            return TimeSpan.MaxValue;
        }

        var warnAt = WarnPoint(target);
        return timer.Elapsed < warnAt ? warnAt - timer.Elapsed
            : timer.Elapsed < target ? target - timer.Elapsed
            : TimeSpan.MaxValue;
    }

    /// <summary>The target <paramref name="timer"/> still counts towards; null when it has none or has completed.</summary>
    private static TimeSpan? Counting(SlaTimer timer) =>
        timer.Target is { } target && target > TimeSpan.Zero && timer.CompletedAt is null ? target : null;

    /// <summary>Where the warning falls: the first whole tick at or past <see cref="QueueOptions.WarnAt"/> of <paramref name="target"/>.</summary>
    private TimeSpan WarnPoint(TimeSpan target) => TimeSpan.FromTicks((long)Math.Ceiling(target.Ticks * options.Value.WarnAt));

    private static DateTimeOffset Later(DateTimeOffset now, TimeSpan a, TimeSpan b)
    {
        var wait = a < b ? a : b;
        return wait >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + wait;
    }

    private readonly record struct Look(long LastSeq, DateTimeOffset At, DateTimeOffset NextThreshold);

    /// <summary>The marks that remember what the queue was told about one clock's thresholds reached by now.</summary>
    private IEnumerable<string> Due(string key, string priority, SlaTimer timer, string name)
    {
        if (Counting(timer) is not { } target)
        {
            return [];
        }

        var (breach, warn) = Marks(key, priority, name);
        return timer.IsBreached ? [breach, warn] : timer.Elapsed >= WarnPoint(target) ? [warn] : [];
    }

    /// <summary>
    /// What the queue is to be told about one clock, given which of its <see cref="Due"/> marks were
    /// <paramref name="marked"/> before, and the marks that remember it (not stored here: the pass stores them with the
    /// notice).
    /// </summary>
    private (Level Level, IReadOnlyList<string> Marks) Check(
        string key, string priority, SlaTimer timer, string name, IReadOnlySet<string> marked, DateTimeOffset now)
    {
        if (Counting(timer) is not { } target)
        {
            return (Level.None, []);
        }

        var (breach, warn) = Marks(key, priority, name);
        if (timer.IsBreached)
        {
            // A ticket first seen already breached gets the breach warning alone, and none when the breach is old
            // news (an imported or seeded backlog): it is remembered silently so the queue is not flooded.
            var first = !marked.Contains(breach);
            return (first && now - timer.Deadline!.Value <= options.Value.SlaNoticeMaxAge ? Level.Breach : Level.None,
                [.. new[] { breach, warn }.Where(mark => !marked.Contains(mark))]);
        }

        return timer.Elapsed >= WarnPoint(target) && !marked.Contains(warn)
            ? (Level.Warning, [warn])
            : (Level.None, []);
    }

    /// <summary>Remembers that the queue was told of the escalation of a ticket's resolution breach at a priority.</summary>
    private static string EscalationMark(string key, string priority) => $"sla|{key}|resolution|{priority}|escalated";

    private static (string Breach, string Warn) Marks(string key, string priority, string name) =>
        ($"sla|{key}|{name}|{priority}|breach", $"sla|{key}|{name}|{priority}|warn");

    private static string Percent(SlaTimer timer) =>
        $"{Math.Floor(100 * timer.Elapsed.Ticks / (double)timer.Target!.Value.Ticks):0}%";

    private enum Level
    {
        None,
        Warning,
        Breach,
    }
}

/// <param name="Open">Open tickets looked at.</param>
/// <param name="Posted">Tickets newly put on a queue.</param>
/// <param name="Examined">Open tickets whose events the pass read: new events since the last look, or a clock that may have reached a threshold.</param>
/// <param name="Escalations">Tickets the pass escalated because their resolution SLA breached (<see cref="SlaTarget.EscalateOnBreach"/>).</param>
public sealed record SlaMonitorPass(int Open, int Posted, int Warnings, int Breaches, int Examined, int Escalations = 0);
