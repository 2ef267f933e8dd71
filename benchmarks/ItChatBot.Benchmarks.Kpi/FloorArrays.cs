using ItChatBot.Core.Tickets;

namespace ItChatBot.Benchmarks.Kpi;

/// <summary>The floor: per-ticket columns in plain arrays, scanned by simple loops (no reopen history, no SLA, no segments).</summary>
public sealed class FloorArrays
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private long[] _created = new long[1024];
    private long[] _resolved = new long[1024];
    private byte[] _team = new byte[1024];
    private bool[] _escalated = new bool[1024];
    private int _count;

    public void Add(List<TicketEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Ticket is null)
            {
                continue;
            }

            if (e.Type == EventType.Created)
            {
                if (_count == _created.Length)
                {
                    Array.Resize(ref _created, _count * 2);
                    Array.Resize(ref _resolved, _count * 2);
                    Array.Resize(ref _team, _count * 2);
                    Array.Resize(ref _escalated, _count * 2);
                }

                _index[e.Ticket] = _count;
                _created[_count] = e.At.ToUnixTimeMilliseconds();
                _resolved[_count] = long.MinValue;
                _team[_count] = e.Get(EventData.Team) switch { "IT" => 0, "Security" => 1, "HR" => 2, _ => 3 };
                _count++;
                continue;
            }

            var i = _index[e.Ticket];
            switch (e.Type)
            {
                case EventType.Resolved: _resolved[i] = e.At.ToUnixTimeMilliseconds(); break;
                case EventType.Reopened: _resolved[i] = long.MinValue; break;
                case EventType.Escalated: _escalated[i] = true; break;
            }
        }
    }

    public int Volume(byte team, long from, long to)
    {
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_team[i] == team && _created[i] >= from && _created[i] < to)
            {
                n++;
            }
        }

        return n;
    }

    public double Mttr(byte team, long from, long to)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_team[i] == team && _resolved[i] >= from && _resolved[i] < to)
            {
                sum += _resolved[i] - _created[i];
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n / 3_600_000d;
    }

    public double Escalation(byte team, long from, long to)
    {
        int n = 0, e = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_team[i] == team && _resolved[i] >= from && _resolved[i] < to)
            {
                n++;
                if (_escalated[i])
                {
                    e++;
                }
            }
        }

        return n == 0 ? double.NaN : (double)e / n;
    }

    public int Backlog(byte team, long at)
    {
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_team[i] == team && _created[i] <= at && (_resolved[i] == long.MinValue || _resolved[i] > at))
            {
                n++;
            }
        }

        return n;
    }

    public object Summary(byte team, long from, long to)
    {
        var span = to - from;
        var total = 0d;
        foreach (var (f, t) in new[] { (from, to), (from - span, from) })
        {
            total += Volume(team, f, t) + Mttr(team, f, t) + Escalation(team, f, t);
            for (var w = 0; w <= 8; w++)
            {
                total += Backlog(team, t - (w * 7 * 86_400_000L));
            }
        }

        return total;
    }
}
