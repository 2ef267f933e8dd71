using ItChatBot.Core.Kpi;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// Check-ins in PostgreSQL (Schema/0410-kpi-checkins.sql). A check-in is written whole under its id (a later one with the
/// same id replaces it, as the LiteDB store's upsert does), so two instances need nothing more than the row's own lock.
/// Times are kept to the millisecond, as in LiteDB.
/// </summary>
public sealed class PostgresCheckinStore(PostgresDatabase db) : ICheckinStore
{
    public Task AddAsync(Checkin checkin, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, """
            insert into kpi_checkins (id, tech, technician, lead, at, note, snapshot)
            values (@id, @tech, @technician, @lead, @at, @note, @snapshot)
            on conflict (id) do update set tech = excluded.tech, technician = excluded.technician, lead = excluded.lead,
                at = excluded.at, note = excluded.note, snapshot = excluded.snapshot
            """, cancellationToken,
            ("id", checkin.Id),
            ("tech", checkin.Technician.ToLowerInvariant()),
            ("technician", checkin.Technician),
            ("lead", checkin.Lead),
            ("at", Rows.Ms(checkin.At)),
            ("note", checkin.Note),
            ("snapshot", checkin.SnapshotJson)), cancellationToken);

    public Task<IReadOnlyList<Checkin>> ListAsync(string technician, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<Checkin>>(async c =>
        {
            await using var command = new NpgsqlCommand(
                "select id, technician, lead, at, note, snapshot from kpi_checkins where tech = @tech order by at, id", c);
            command.Parameters.AddWithValue("tech", technician.ToLowerInvariant());
            var list = new List<Checkin>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new Checkin(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5)));
            }

            return list;
        }, cancellationToken);
}
