using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// The outbox over the <c>outbox</c> table (Schema/0100-outbox.sql) that other parts fill inside their own transactions
/// (<see cref="Rows.EnqueueAsync"/>). Which instance dispatches is decided elsewhere (one leader); what this class reads
/// is always the database's, never a copy in memory, since any instance may enqueue or retry a message.
/// </summary>
public sealed class PostgresOutbox(PostgresDatabase db) : IOutbox
{
    private const string Columns = "o.seq, o.json, o.state, o.attempts, o.next_at, o.platform_id, o.error";
    private const string Pending = nameof(OutboxState.Pending);

    public Task EnqueueAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        db.WriteAsync((connection, tx) => Rows.EnqueueAsync(connection, tx, messages, cancellationToken), cancellationToken);

    /// <remarks>
    /// Times compare in whole milliseconds, as in the LiteDB store. An update (<see cref="OutboundMessage.UpdateOf"/>,
    /// kept in the message's JSON) of a message queued before it that is itself still waiting for its next attempt waits
    /// too: sent now, it would find no card to replace and go out as a second card, before the one it was meant to replace.
    /// So does a message threaded under one (<see cref="OutboundMessage.InThreadOf"/>): it would go out outside the thread.
    /// </remarks>
    public Task<IReadOnlyList<OutboxEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            select {Columns} from outbox o
            where o.state = 'Pending' and date_trunc('milliseconds', o.next_at) <= @now
              and not exists (
                select 1 from outbox w
                where w.mid in (o.json::json ->> 'updateOf', o.json::json ->> 'inThreadOf') and w.seq < o.seq
                  and w.state = 'Pending' and date_trunc('milliseconds', w.next_at) > @now)
            order by o.seq
            limit @max
            """,
            cancellationToken, ("now", Rows.Ms(now)), ("max", max));

    public Task MarkSentAsync(string id, string platformMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
        MarkSentAsync([new SentMessage(id, platformMessageId, sentAt)], cancellationToken);

    /// <summary>One statement for the whole batch; a message the outbox does not hold fails the batch, as in LiteDB.</summary>
    public Task MarkSentAsync(IReadOnlyList<SentMessage> sent, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                if (sent.Count == 0)
                {
                    return 0;
                }

                await using var command = new NpgsqlCommand(
                    """
                    update outbox o set state = 'Sent', platform_id = s.pid, attempts = o.attempts + 1, error = null
                    from unnest(@ids, @pids) as s(mid, pid)
                    where o.mid = s.mid
                    returning o.mid
                    """,
                    connection, tx);
                command.Parameters.AddWithValue("ids", sent.Select(s => s.Id).ToArray());
                command.Parameters.AddWithValue("pids", sent.Select(s => s.PlatformMessageId).ToArray());
                var marked = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        marked.Add(reader.GetString(0));
                    }
                }

                if (sent.FirstOrDefault(s => !marked.Contains(s.Id)) is { } missing)
                {
                    // Thrown inside the transaction: it rolls back, and nothing of the batch is marked.
                    throw new InvalidOperationException($"No outbox message {missing.Id}.");
                }

                return marked.Count;
            },
            cancellationToken);

    public Task MarkFailedAsync(string id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                var changed = await PostgresDatabase.Execute(
                    connection, tx,
                    "update outbox set attempts = attempts + 1, error = @error, next_at = @next where mid = @id",
                    cancellationToken, ("id", id), ("error", NulCharacter.Visible(error)), ("next", Rows.Ms(nextAttemptAt)));
                return changed == 1 ? changed : throw new InvalidOperationException($"No outbox message {id}.");
            },
            cancellationToken);

    public async Task<OutboxEntry?> GetMessageAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"select {Columns} from outbox o where o.mid = @id", cancellationToken, ("id", id))).SingleOrDefault();

    public Task<IReadOnlyList<OutboxEntry>> FailingAsync(int max, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"select {Columns} from outbox o where o.state = 'Pending' and o.attempts > 0 order by o.seq limit @max",
            cancellationToken, ("max", max));

    /// <remarks>
    /// One statement, so the count is of the rows it changed: a message due already keeps its time (the <c>case</c>) and
    /// counts, as in LiteDB.
    /// </remarks>
    public Task<int> RetryNowAsync(string? id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                var due = await PostgresDatabase.Execute(
                    connection, tx,
                    $"""
                    update outbox set next_at = case when date_trunc('milliseconds', next_at) > @now then @now else next_at end
                    where state = '{Pending}' and {(id is null ? "attempts > 0" : "mid = @id")}
                    """,
                    cancellationToken, id is null ? [("now", Rows.Ms(now))] : [("now", Rows.Ms(now)), ("id", id)]);
                if (due > 0)
                {
                    // The instance that leads the outbox may be another one: tell it, as an enqueue does.
                    await PostgresDatabase.Execute(connection, tx, $"select pg_notify('{Rows.OutboxChannel}', '')", cancellationToken);
                }

                return due;
            },
            cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListConversationAsync(string channel, string conversationId, long afterSeq, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"select {Columns} from outbox o where o.conv = @conv and o.seq > @after order by o.seq",
            cancellationToken, ("conv", Rows.ConversationKey(channel, conversationId)), ("after", afterSeq));

    private Task<IReadOnlyList<OutboxEntry>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        db.ReadAsync<IReadOnlyList<OutboxEntry>>(
            async connection =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                }

                var entries = new List<OutboxEntry>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new OutboxEntry(
                        reader.GetInt64(0),
                        JsonSerializer.Deserialize<OutboundMessage>(reader.GetString(1), Rows.Json)!,
                        Enum.Parse<OutboxState>(reader.GetString(2)),
                        reader.GetInt32(3),
                        Rows.Ms(reader.GetFieldValue<DateTimeOffset>(4)),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6)));
                }

                return entries;
            },
            cancellationToken);
}
