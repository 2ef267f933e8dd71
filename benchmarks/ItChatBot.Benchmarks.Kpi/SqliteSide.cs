using ItChatBot.Core.Tickets;
using Microsoft.Data.Sqlite;

namespace ItChatBot.Benchmarks.Kpi;

/// <summary>The same events in SQLite, asked with plain SQL (final resolution = a Resolved with no later Resolved or Reopened).</summary>
public sealed class SqliteSide(string path)
{
    private const string Final = """
        SELECT r.ticket, r.at FROM events r
        WHERE r.type = 'Resolved' AND r.at >= $from AND r.at < $to
          AND NOT EXISTS (SELECT 1 FROM events o WHERE o.ticket = r.ticket AND o.type IN ('Resolved', 'Reopened') AND o.at > r.at)
        """;

    private SqliteConnection? _connection;

    public bool Exists => File.Exists(path) && new FileInfo(path).Length > 0 && Connection.CreateCommand() is var c
        && (c.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'events'") is not null && Convert.ToInt64(c.ExecuteScalar()) > 0;

    private SqliteConnection Connection
    {
        get
        {
            if (_connection is null)
            {
                _connection = new SqliteConnection($"Data Source={path}");
                _connection.Open();
                Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -200000;");
            }

            return _connection;
        }
    }

    public void Create() => Exec("""
        CREATE TABLE events (seq INTEGER PRIMARY KEY, ticket TEXT, type TEXT NOT NULL, at INTEGER NOT NULL, actor TEXT, actor_kind TEXT,
          team TEXT, category TEXT, priority TEXT, requester TEXT, score INTEGER);
        """);

    public void Index() => Exec("""
        CREATE INDEX events_type_at ON events(type, at);
        CREATE INDEX events_ticket_type ON events(ticket, type, at);
        CREATE INDEX events_created_team ON events(type, team, at);
        ANALYZE;
        """);

    public void Insert(List<TicketEvent> batch)
    {
        using var tx = Connection.BeginTransaction();
        using var cmd = Connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO events (ticket, type, at, actor, actor_kind, team, category, priority, requester, score) VALUES ($t, $y, $a, $ac, $k, $team, $c, $p, $r, $s)";
        var ps = new[] { "$t", "$y", "$a", "$ac", "$k", "$team", "$c", "$p", "$r", "$s" }.Select(n => cmd.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        foreach (var e in batch)
        {
            ps[0].Value = (object?)e.Ticket ?? DBNull.Value;
            ps[1].Value = e.Type.ToString();
            ps[2].Value = e.At.ToUnixTimeMilliseconds();
            ps[3].Value = e.Actor;
            ps[4].Value = e.ActorKind.ToString();
            ps[5].Value = (object?)e.Get(EventData.Team) ?? DBNull.Value;
            ps[6].Value = (object?)e.Get(EventData.Category) ?? DBNull.Value;
            ps[7].Value = (object?)e.Get(EventData.Priority) ?? DBNull.Value;
            ps[8].Value = (object?)e.Get(EventData.Requester) ?? DBNull.Value;
            ps[9].Value = (object?)e.GetInt(EventData.Score) ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }

    public long Volume(string team, long from, long to) =>
        Scalar("SELECT count(*) FROM events WHERE type = 'Created' AND team = $team AND at >= $from AND at < $to", team, from, to);

    public double Mttr(string team, long from, long to) => Double($"""
        WITH final AS ({Final})
        SELECT avg((f.at - c.at) / 3600000.0) FROM final f JOIN events c ON c.ticket = f.ticket AND c.type = 'Created' WHERE c.team = $team
        """, team, from, to);

    public double Escalation(string team, long from, long to) => Double($"""
        WITH final AS ({Final})
        SELECT avg(EXISTS (SELECT 1 FROM events e WHERE e.ticket = f.ticket AND e.type = 'Escalated'))
        FROM final f JOIN events c ON c.ticket = f.ticket AND c.type = 'Created' WHERE c.team = $team
        """, team, from, to);

    public double Csat(string team, long from, long to) => Double("""
        SELECT avg(a.score >= 4) FROM events a JOIN events c ON c.ticket = a.ticket AND c.type = 'Created'
        WHERE a.type = 'SurveyAnswered' AND a.at >= $from AND a.at < $to AND c.team = $team
        """, team, from, to);

    public long Backlog(string team, long at) => Scalar("""
        SELECT count(*) FROM events c
        WHERE c.type = 'Created' AND c.team = $team AND c.at <= $to
          AND NOT EXISTS (SELECT 1 FROM events r WHERE r.ticket = c.ticket AND r.type = 'Resolved' AND r.at <= $to
            AND NOT EXISTS (SELECT 1 FROM events o WHERE o.ticket = c.ticket AND o.type IN ('Resolved', 'Reopened') AND o.at > r.at AND o.at <= $to))
        """, team, 0, at);

    public object Summary(string team, long from, long to)
    {
        var span = to - from;
        var total = 0d;
        foreach (var (f, t) in new[] { (from, to), (from - span, from) })
        {
            total += Volume(team, f, t) + Mttr(team, f, t) + Escalation(team, f, t) + Csat(team, f, t) + Backlog(team, t);
        }

        return total;
    }

    private long Scalar(string sql, string team, long from, long to) => Convert.ToInt64(Command(sql, team, from, to).ExecuteScalar());

    private double Double(string sql, string team, long from, long to) => Command(sql, team, from, to).ExecuteScalar() is double d ? d : double.NaN;

    private SqliteCommand Command(string sql, string team, long from, long to)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$team", team);
        cmd.Parameters.AddWithValue("$from", from);
        cmd.Parameters.AddWithValue("$to", to);
        return cmd;
    }

    private void Exec(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
