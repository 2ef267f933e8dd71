namespace ItChatBot.Core.Kpi;

/// <summary>
/// FCR follow-ups (DESIGN §4): for each resolved ticket, the first creation of another ticket by the same requester
/// in the same category after its final resolution, kept in <see cref="TicketColumns.NextInGroup"/>. FCR then tests
/// a column (<c>next &lt;= resolved + window</c>, whatever the window) instead of searching per query.
/// <para>
/// Each requester+category group keeps its creation instants sorted, so a ticket's next creation is a binary search;
/// it is worked out when the ticket's resolution changes, and when a creation lands in its group. A creation that is
/// the group's latest (the log is appended in time order) can only change tickets still waiting for any later
/// creation, so only those are looked at; an earlier one (an import out of order) recomputes the whole group.
/// </para>
/// </summary>
internal sealed class FollowUps
{
    private readonly Dictionary<(int Requester, int Category), int> _ids = [];
    private readonly List<List<long>> _created = [];
    private readonly List<List<int>> _members = [];

    // Resolved tickets with no creation after their resolution yet: the only ones a new latest creation can change.
    private readonly List<HashSet<int>> _awaiting = [];

    // Groups that received creations since the last refresh: true while every one was at or after the group's latest.
    private readonly Dictionary<int, bool> _touched = [];

    /// <summary>Records a ticket's creation in its requester+category group; returns the group.</summary>
    public int Join(int ticket, int oldGroup, long oldCreated, int requester, int category, long created)
    {
        if (oldGroup >= 0)
        {
            // A second Created (not legal, but the log is replayed as it is): the ticket moves, it is not counted twice.
            _created[oldGroup].RemoveAt(_created[oldGroup].BinarySearch(oldCreated));
            _members[oldGroup].Remove(ticket);
            _awaiting[oldGroup].Remove(ticket);
            _touched[oldGroup] = false;
        }

        if (!_ids.TryGetValue((requester, category), out var group))
        {
            group = _created.Count;
            _ids[(requester, category)] = group;
            _created.Add([]);
            _members.Add([]);
            _awaiting.Add([]);
        }

        var times = _created[group];
        var latest = times.Count == 0 || created >= times[^1];
        _touched[group] = latest && _touched.GetValueOrDefault(group, true);
        times.Insert(UpperBound(times, created), created);
        _members[group].Add(ticket);
        return group;
    }

    /// <summary>After a ticket's row was rewritten (its resolution may have changed).</summary>
    public void Refresh(int ticket, TicketColumns columns) => SetNext(ticket, columns);

    /// <summary>After creations landed: the tickets of those groups they can change.</summary>
    public void RefreshGroups(TicketColumns columns)
    {
        foreach (var (group, latest) in _touched)
        {
            foreach (var ticket in latest ? [.. _awaiting[group]] : _members[group].ToArray())
            {
                SetNext(ticket, columns);
            }
        }

        _touched.Clear();
    }

    private void SetNext(int ticket, TicketColumns columns)
    {
        var group = columns.Group[ticket];
        var resolved = columns.Resolved[ticket];
        var next = TicketColumns.None;
        if (group >= 0 && resolved != TicketColumns.None)
        {
            // The first creation after the resolution, not counting the ticket's own (possible only in odd data).
            var times = _created[group];
            var i = UpperBound(times, resolved);
            if (i < times.Count && times[i] == columns.Created[ticket])
            {
                i++;
            }

            next = i < times.Count ? times[i] : TicketColumns.None;
            if (next == TicketColumns.None)
            {
                _awaiting[group].Add(ticket);
            }
            else
            {
                _awaiting[group].Remove(ticket);
            }
        }
        else if (group >= 0)
        {
            _awaiting[group].Remove(ticket);
        }

        columns.NextInGroup[ticket] = next;
    }

    /// <summary>The number of values at or below <paramref name="value"/> in an ascending list.</summary>
    private static int UpperBound(List<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
