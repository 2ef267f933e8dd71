using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// The fields the metrics scan, copied out of each <see cref="TicketFacts"/> into one array per field (struct of
/// arrays), row = ticket index. A scan over a million tickets then reads a few dense arrays instead of touching a
/// million objects scattered over the heap (about 30× faster, see benchmarks/README.md "KPI engine"). Values that
/// depend on several events (final resolution, business hours, the SLA decision) are worked out here once, when
/// <see cref="KpiIndex"/> refreshes a ticket whose events changed, never per query.
/// </summary>
public sealed class TicketColumns
{
    public const long None = TicketFacts.None;

    // Flags (one byte a ticket).
    public const byte Reopened = 1;
    public const byte Escalated = 2;

    /// <summary>Reopened at some point: "open at an instant" before <see cref="Settled"/> needs the transition history.</summary>
    public const byte HasTransitions = 4;

    /// <summary>The resolution SLA was met (see <see cref="SlaAt"/>).</summary>
    public const byte SlaMet = 8;

    /// <summary>The first-response SLA was met (see <see cref="ResponseAt"/>).</summary>
    public const byte ResponseMet = 16;

    private const int InitialCapacity = 1024;

    public int Count { get; private set; }

    /// <summary>Creation instant (unix ms), <see cref="None"/> for a ticket whose <c>Created</c> is not in the log.</summary>
    public long[] Created { get; private set; } = new long[InitialCapacity];

    /// <summary>Final resolution (a <c>Resolved</c> not followed by <c>Reopened</c>), or <see cref="None"/>.</summary>
    public long[] Resolved { get; private set; } = new long[InitialCapacity];

    public long[] FirstResponse { get; private set; } = new long[InitialCapacity];

    /// <summary>From this instant on the ticket's open/resolved state no longer changes (last resolve or reopen, else creation).</summary>
    public long[] Settled { get; private set; } = new long[InitialCapacity];

    /// <summary>
    /// The instant the resolution SLA counts at, min(completion, deadline) (DESIGN §4), or <see cref="None"/> when it
    /// never counts (no target, or open with no deadline). A breach (flag <see cref="SlaMet"/> clear) only counts once
    /// that instant has passed, which depends on "now", so the query checks <c>at &lt;= now</c>.
    /// </summary>
    public long[] SlaAt { get; private set; } = new long[InitialCapacity];

    /// <summary>
    /// The first creation of another ticket by the same requester in the same category after the final resolution
    /// (FCR follow-up), or <see cref="None"/>; kept by <see cref="FollowUps"/>.
    /// </summary>
    public long[] NextInGroup { get; private set; } = new long[InitialCapacity];

    /// <summary>As <see cref="SlaAt"/>, for the first-response SLA.</summary>
    public long[] ResponseAt { get; private set; } = new long[InitialCapacity];

    /// <summary>Creation to final resolution in the team's business hours; NaN while unresolved.</summary>
    public double[] BusinessHours { get; private set; } = new double[InitialCapacity];

    public int[] Team { get; private set; } = new int[InitialCapacity];
    public int[] Category { get; private set; } = new int[InitialCapacity];
    public int[] Priority { get; private set; } = new int[InitialCapacity];
    public int[] Channel { get; private set; } = new int[InitialCapacity];
    public int[] Assignee { get; private set; } = new int[InitialCapacity];

    /// <summary>The requester+category group (FCR follow-ups), -1 before <c>Created</c>.</summary>
    public int[] Group { get; private set; } = new int[InitialCapacity];

    public byte[] Flags { get; private set; } = new byte[InitialCapacity];

    /// <summary>0 while not resolved, else 1 + <see cref="Tickets.Outcome"/>.</summary>
    public byte[] Outcome { get; private set; } = new byte[InitialCapacity];

    /// <summary>Bytes the column arrays take (their capacity), for stating memory.</summary>
    public long Bytes =>
        (long)Created.Length * ((7 * sizeof(long)) + sizeof(double) + (6 * sizeof(int)) + (2 * sizeof(byte)));

    public static byte Encode(Outcome? outcome) => outcome is { } o ? (byte)(1 + (int)o) : (byte)0;

    public static Outcome? Decode(byte outcome) => outcome == 0 ? null : (Outcome)(outcome - 1);

    /// <summary>Copies a ticket's facts into its row (the row is added when the ticket is new).</summary>
    public void Write(TicketFacts t, int group)
    {
        var i = t.Index;
        if (i >= Count)
        {
            Grow(i + 1);
            Count = i + 1;
        }

        Created[i] = t.Created;
        Resolved[i] = t.FinalResolved;
        FirstResponse[i] = t.FirstResponse;
        Settled[i] = SettledAt(t);
        BusinessHours[i] = t.BusinessHoursToResolve;
        Team[i] = t.Team;
        Category[i] = t.Category;
        Priority[i] = t.Priority;
        Channel[i] = t.Channel;
        Assignee[i] = t.Assignee;
        Group[i] = group;
        Outcome[i] = Encode(t.Outcome);
        var (slaAt, slaMet) = Decided(t.ResolutionHasTarget, t.ResolutionDeadline, t.ResolutionCompleted);
        var (responseAt, responseMet) = Decided(t.ResponseHasTarget, t.ResponseDeadline, t.ResponseCompleted);
        SlaAt[i] = slaAt;
        ResponseAt[i] = responseAt;
        Flags[i] = (byte)((t.EverReopened ? Reopened : 0) | (t.Escalations > 0 ? Escalated : 0) | (t.Transitions is not null ? HasTransitions : 0)
            | (slaMet ? SlaMet : 0) | (responseMet ? ResponseMet : 0));
    }

    /// <summary>Open at <paramref name="at"/> (created at or before it and not resolved at it), as <see cref="TicketFacts.IsOpenAt"/>.</summary>
    public bool IsOpenAt(int i, long at, List<TicketFacts> tickets)
    {
        var created = Created[i];
        if (created == None || created > at)
        {
            return false;
        }

        if (at >= Settled[i])
        {
            return Resolved[i] == None;
        }

        // Before the last change: between creation and the only resolution, or somewhere in a reopen history.
        return (Flags[i] & HasTransitions) == 0 || tickets[i].IsOpenAt(at);
    }

    /// <summary>
    /// <see cref="TicketFacts.Decide"/> without "now": the instant the SLA counts at and whether it was met. A met SLA
    /// counts at its completion; otherwise it is breached at its deadline (counted once "now" has reached it).
    /// </summary>
    private static (long At, bool Met) Decided(bool hasTarget, long deadline, long completed)
    {
        if (!hasTarget)
        {
            return (None, false);
        }

        if (completed != None && (deadline == None || completed <= deadline))
        {
            return (completed, true);
        }

        return (deadline, false);
    }

    private static long SettledAt(TicketFacts t)
    {
        if (t.Transitions is null)
        {
            return t.FinalResolved != None ? t.FinalResolved : t.Created;
        }

        // Reopen history: the latest resolve or reopen (kept as + / - instants); the state after it is final.
        var last = t.Created;
        foreach (var change in t.Transitions)
        {
            last = Math.Max(last, Math.Abs(change));
        }

        return last;
    }

    private void Grow(int needed)
    {
        if (needed <= Created.Length)
        {
            return;
        }

        var size = Math.Max(needed, Created.Length * 2);
        Created = Resize(Created, size);
        Resolved = Resize(Resolved, size);
        FirstResponse = Resize(FirstResponse, size);
        Settled = Resize(Settled, size);
        SlaAt = Resize(SlaAt, size);
        NextInGroup = Resize(NextInGroup, size);
        ResponseAt = Resize(ResponseAt, size);
        BusinessHours = Resize(BusinessHours, size);
        Team = Resize(Team, size);
        Category = Resize(Category, size);
        Priority = Resize(Priority, size);
        Channel = Resize(Channel, size);
        Assignee = Resize(Assignee, size);
        Group = Resize(Group, size);
        Flags = Resize(Flags, size);
        Outcome = Resize(Outcome, size);
    }

    private static T[] Resize<T>(T[] array, int size)
    {
        Array.Resize(ref array, size);
        return array;
    }
}
