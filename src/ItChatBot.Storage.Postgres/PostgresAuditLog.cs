using System.Data;
using System.Text.Json;
using ItChatBot.Core.Audit;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// The audit chain in the <c>audit</c> table, with its head (last sequence and hash) in <c>audit_head</c>
/// (Schema/0320-audit.sql). The chain's rules are Core's (<see cref="AuditChain"/>). Appends of every instance take the
/// advisory lock <c>audit</c> in their transaction, so the head read and the insert that links to it never interleave
/// with another append (the LiteDB store gets the same from its single writer thread).
/// </summary>
public sealed class PostgresAuditLog(PostgresDatabase db) : IAuditLog
{
    private const string Columns = "seq, id, at, actor, action, subject, data, prev, hash";

    public Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                await PostgresDatabase.LockAsync(connection, tx, "audit", cancellationToken);
                if ((await ReadEntriesAsync(connection, tx, $"select {Columns} from audit where id = @id", cancellationToken, ("id", record.Id))).FirstOrDefault() is { } existing)
                {
                    return existing;
                }

                var head = await ReadHeadAsync(connection, tx, cancellationToken);
                // The store keeps milliseconds, as LiteDB's does; the canonical form has no more, so the hash holds for both.
                var entry = AuditChain.Link(head, record);
                await PostgresDatabase.Execute(
                    connection, tx,
                    """
                    insert into audit (pos, seq, id, at, actor, action, subject, data, prev, hash)
                    values (@seq, @seq, @id, @at, @actor, @action, @subject, @data, @prev, @hash)
                    """,
                    cancellationToken,
                    ("seq", entry.Seq),
                    ("id", entry.Id),
                    ("at", Rows.Ms(entry.At)),
                    ("actor", entry.Actor),
                    ("action", entry.Action),
                    ("subject", entry.Subject),
                    ("data", JsonSerializer.Serialize(entry.Data, Rows.Json)),
                    ("prev", entry.PrevHash),
                    ("hash", entry.Hash));
                await PostgresDatabase.Execute(
                    connection, tx,
                    "insert into audit_head (id, seq, hash) values ('head', @seq, @hash) on conflict (id) do update set seq = excluded.seq, hash = excluded.hash",
                    cancellationToken, ("seq", entry.Seq), ("hash", entry.Hash));
                return entry;
            },
            cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        db.ReadAsync(
            connection => ReadEntriesAsync(
                connection, null, $"select {Columns} from audit where at >= @from and at < @to order by seq",
                cancellationToken, ("from", Rows.Ms(from)), ("to", Rows.Ms(to))),
            cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadSubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        db.ReadAsync(
            connection => ReadEntriesAsync(connection, null, $"select {Columns} from audit where subject = @subject order by seq", cancellationToken, ("subject", subject)),
            cancellationToken);

    /// <remarks>
    /// Storage order is <c>pos</c> order; reading in it (not sorted by the stored seq) is what lets a moved entry show. The
    /// head and the entries are read in one snapshot (repeatable read): another instance's append in between must not
    /// look like entries cut from the end. The entries are read into memory before they are checked.
    /// </remarks>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync(
            async connection =>
            {
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
                var head = await ReadHeadAsync(connection, tx, cancellationToken) ?? new AuditHead(0, AuditChain.Genesis);
                var stored = await ReadEntriesAsync(connection, tx, $"select {Columns} from audit order by pos", cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return AuditChain.Verify(stored, head);
            },
            cancellationToken);

    private static async Task<AuditHead?> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select seq, hash from audit_head where id = 'head'", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AuditHead(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async Task<IReadOnlyList<AuditEntry>> ReadEntriesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry
            {
                Seq = reader.GetInt64(0),
                Id = reader.GetString(1),
                At = reader.GetFieldValue<DateTimeOffset>(2),
                Actor = reader.GetString(3),
                Action = reader.GetString(4),
                Subject = reader.GetString(5),
                Data = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), Rows.Json)!,
                PrevHash = reader.GetString(7),
                Hash = reader.GetString(8),
            });
        }

        return entries;
    }
}
