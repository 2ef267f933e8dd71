using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Storage;

/// <summary>
/// What an append stores, decided the same way by every store (<see cref="IEventLog.AppendAsync"/> and
/// <see cref="IEventLog.AppendCheckedAsync"/>): an event whose id the log holds, or that came earlier in the same batch, is
/// skipped; a checked append leaves out an event that breaks its ticket's rules as the ticket stands with the events before
/// it, and reports it by its index; every other event is applied to its ticket, in batch order.
/// </summary>
public sealed class AppendPlan
{
    private AppendPlan()
    {
    }

    /// <summary>The events to store, in batch order, as <c>position</c> gave them, each with its ticket (null for none).</summary>
    public List<(TicketEvent Event, Ticket? Ticket)> Fresh { get; } = [];

    public List<RejectedEvent> Rejected { get; } = [];

    /// <summary>The tickets the fresh events changed, each once.</summary>
    public HashSet<Ticket> Touched { get; } = new(ReferenceEqualityComparer.Instance);

    public int Skipped { get; private set; }

    /// <param name="stored">Which of the batch's event ids the log holds already.</param>
    /// <param name="load">A ticket by key, as the store holds it plus this batch's changes so far (the same object each time).</param>
    /// <param name="position">
    /// Gives a fresh event its log position before its ticket sees it, where the store knows it in advance; a store that
    /// learns positions on insert leaves the event as it is and raises the tickets' <see cref="Ticket.LastSeq"/> after.
    /// </param>
    public static AppendPlan Decide(
        IReadOnlyList<TicketEvent> events,
        IReadOnlySet<string> stored,
        bool check,
        Func<string, Ticket> load,
        Func<TicketEvent, TicketEvent>? position = null)
    {
        var plan = new AppendPlan();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!seen.Add(e.Id) || stored.Contains(e.Id))
            {
                plan.Skipped++;
                continue;
            }

            var ticket = e.Ticket is { } key ? load(key) : null;
            if (check && ticket?.Check(e) is { } problem)
            {
                plan.Rejected.Add(new RejectedEvent(i, problem));
                continue;
            }

            var positioned = position?.Invoke(e) ?? e;
            if (ticket is not null)
            {
                ticket.Apply(positioned);
                plan.Touched.Add(ticket);
            }

            plan.Fresh.Add((positioned, ticket));
        }

        return plan;
    }
}
