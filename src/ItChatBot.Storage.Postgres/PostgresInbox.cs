using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// Inbound envelopes in the <c>inbox</c> table (Schema/0300-inbox.sql), shared by every instance. The platform id is the
/// key, so of two instances accepting the same delivery at once exactly one stores it. Each envelope records the instance
/// that accepted it (<c>owner</c>): that instance processes it, and <see cref="PendingAsync"/> returns only this
/// instance's, plus those it takes over from instances that are no longer running.
/// </summary>
public sealed class PostgresInbox(PostgresDatabase db, PostgresInstance instance) : IInbox
{
    private const string Columns = "platform_id, channel, kind, body, received_at, processed_at, error";

    public Task<bool> TryAcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) => await PostgresDatabase.Execute(
                connection, tx,
                """
                insert into inbox (platform_id, channel, kind, body, received_at, done, processed_at, error, owner)
                values (@id, @channel, @kind, @body, @at, @done, @processed, null, @owner)
                on conflict (platform_id) do nothing
                """,
                cancellationToken,
                ("id", envelope.PlatformId),
                ("channel", envelope.Channel),
                ("kind", envelope.Kind),
                ("body", envelope.Body),
                ("at", Rows.Ms(envelope.ReceivedAt)),
                ("done", envelope.ProcessedAt is not null),
                ("processed", envelope.ProcessedAt is { } processed ? Rows.Ms(processed) : null),
                ("owner", instance.Id)) == 1,
            cancellationToken);

    public Task MarkProcessedAsync(string platformId, string? error = null, CancellationToken cancellationToken = default) =>
        db.WriteAsync((connection, tx) => MarkProcessedAsync(connection, tx, platformId, error, cancellationToken), cancellationToken);

    public Task CompleteAsync(string platformId, IReadOnlyList<OutboundMessage> replies, string? error = null, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                await Rows.EnqueueAsync(connection, tx, replies, cancellationToken);
                return await MarkProcessedAsync(connection, tx, platformId, error, cancellationToken);
            },
            cancellationToken);

    // Like the LiteDB store, the processing time is this machine's clock (no TimeProvider reaches the store), and an
    // unknown platform id changes nothing.
    private static Task<int> MarkProcessedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string platformId, string? error, CancellationToken cancellationToken) =>
        PostgresDatabase.Execute(
            connection, tx,
            "update inbox set done = true, processed_at = @at, error = @error where platform_id = @id",
            cancellationToken, ("id", platformId), ("at", Rows.Ms(DateTimeOffset.UtcNow)), ("error", error is null ? null : NulCharacter.Visible(error)));

    /// <summary>
    /// This instance's envelopes accepted and not processed yet, after taking over those of instances that are no longer
    /// running (LiteDB has one instance, so there every pending envelope is its own). In platform id order (ordinal), as
    /// the LiteDB store returns them. An envelope taken over beyond <paramref name="max"/> is this instance's from then
    /// on and comes with the next call.
    /// </summary>
    /// <remarks>
    /// One transaction. The other instances that have pending envelopes are asked whether they run; the rows of those that
    /// seem not to are then locked and their owners asked again, and only the rows of owners still not running are given to
    /// this instance (so a live instance's rows are never locked here, and one that started in between keeps its own). Two
    /// instances taking over at once queue on the row locks, and the second finds the rows no longer the stopped
    /// instance's, so it takes none of them. This instance's own rows are read with <c>for update</c> too, so that an
    /// instance restarting under the same id while another takes its rows over waits for that and then no longer sees
    /// them as its own. A probe only reads (it takes the owner's presence lock and gives it back at once), so a re-run of
    /// this write after a deadlock asks again, harmlessly. What no store can tell: an instance that lost its connection
    /// but runs on counts as stopped, and may still finish an envelope that another instance took over.
    /// </remarks>
    public Task<IReadOnlyList<InboundEnvelope>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        db.WriteAsync<IReadOnlyList<InboundEnvelope>>(
            async (connection, tx) =>
            {
                var gone = await StoppedOwnersAsync(connection, tx, cancellationToken);
                if (gone.Count > 0)
                {
                    await PostgresDatabase.Execute(
                        connection, tx,
                        "update inbox set owner = @me where not done and owner = any(@gone)",
                        cancellationToken, ("me", instance.Id), ("gone", gone.ToArray()));
                }

                await using var mine = new NpgsqlCommand(
                    $"""
                    select {Columns} from inbox where not done and owner = @me
                    order by platform_id collate "C" limit @max for update
                    """,
                    connection, tx);
                mine.Parameters.AddWithValue("me", instance.Id);
                mine.Parameters.AddWithValue("max", max);
                var pending = new List<InboundEnvelope>();
                await using (var reader = await mine.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        pending.Add(Read(reader));
                    }
                }

                return pending;
            },
            cancellationToken);

    /// <summary>
    /// Takes over at most <paramref name="max"/> pending envelopes of instances that are no longer running and returns them
    /// (only those: this instance's own are being processed already). <see cref="PendingAsync"/> does this once at start;
    /// a running instance calls this now and then, so that what a stopped instance accepted is processed even when no
    /// instance starts after it.
    /// </summary>
    public Task<IReadOnlyList<InboundEnvelope>> TakeOverAsync(int max, CancellationToken cancellationToken = default) =>
        db.WriteAsync<IReadOnlyList<InboundEnvelope>>(
            async (connection, tx) =>
            {
                var gone = await StoppedOwnersAsync(connection, tx, cancellationToken);

                var taken = new List<InboundEnvelope>();
                if (gone.Count == 0)
                {
                    return taken;
                }

                await using var take = new NpgsqlCommand(
                    $"""
                    update inbox set owner = @me
                    where platform_id in (
                        select platform_id from inbox where not done and owner = any(@gone)
                        order by platform_id collate "C" limit @max)
                    returning {Columns}
                    """,
                    connection, tx);
                take.Parameters.AddWithValue("me", instance.Id);
                take.Parameters.AddWithValue("gone", gone.ToArray());
                take.Parameters.AddWithValue("max", max);
                await using var reader = await take.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    taken.Add(Read(reader));
                }

                return taken;
            },
            cancellationToken);

    /// <summary>
    /// The other instances with pending envelopes that have stopped, their pending rows locked by this transaction: asks
    /// whether they run, locks only the rows of those that seem not to, and asks again (see <see cref="PendingAsync"/>).
    /// </summary>
    private async Task<List<string>> StoppedOwnersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var owners = await OwnersAsync(connection, tx, "select distinct owner from inbox where not done and owner <> @me", [], cancellationToken);
        var gone = await StoppedAsync(owners, cancellationToken);
        if (gone.Count == 0)
        {
            return gone;
        }

        var locked = await OwnersAsync(
            connection, tx,
            """select owner from inbox where not done and owner = any(@gone) order by platform_id collate "C" for update""",
            gone, cancellationToken);
        return await StoppedAsync(locked, cancellationToken);
    }

    private async Task<HashSet<string>> OwnersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, IReadOnlyCollection<string> gone, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("me", instance.Id);
        command.Parameters.AddWithValue("gone", gone.ToArray());
        var owners = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(reader.GetString(0));
        }

        return owners;
    }

    private async Task<List<string>> StoppedAsync(IEnumerable<string> owners, CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        foreach (var owner in owners)
        {
            if (!await instance.IsAliveAsync(owner, cancellationToken))
            {
                stopped.Add(owner);
            }
        }

        return stopped;
    }

    public Task<InboundEnvelope?> ReopenAsync(string platformId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(
            async (connection, tx) =>
            {
                await using var reopen = new NpgsqlCommand(
                    $"""
                    update inbox set done = false, processed_at = null, error = null, owner = @me
                    where platform_id = @id and error is not null
                    returning {Columns}
                    """,
                    connection, tx);
                reopen.Parameters.AddWithValue("id", platformId);
                reopen.Parameters.AddWithValue("me", instance.Id);
                await using var reader = await reopen.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<InboundEnvelope>> FailedAsync(int max, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<InboundEnvelope>>(
            async connection =>
            {
                await using var failed = new NpgsqlCommand(
                    $"""
                    select {Columns} from inbox where error is not null
                    order by processed_at desc, platform_id collate "C" limit @max
                    """,
                    connection);
                failed.Parameters.AddWithValue("max", max);
                var envelopes = new List<InboundEnvelope>();
                await using var reader = await failed.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    envelopes.Add(Read(reader));
                }

                return envelopes;
            },
            cancellationToken);

    public Task<InboundEnvelope?> FindAsync(string platformId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand($"select {Columns} from inbox where platform_id = @id", connection);
                command.Parameters.AddWithValue("id", platformId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            },
            cancellationToken);

    private static InboundEnvelope Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4))
        {
            ProcessedAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            Error = reader.IsDBNull(6) ? null : reader.GetString(6),
        };
}
