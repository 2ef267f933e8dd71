using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Host.Queues;

/// <summary>
/// The queues' own records in PostgreSQL (Schema/0400-queues.sql), shared by every instance. What the LiteDB store gets
/// from its single writer thread (nothing comes between a look and an insert) comes here from unique keys: a post or a
/// mark is inserted with <c>on conflict do nothing</c>, so of two instances storing the same one at once the second
/// waits for the first's transaction and then finds the row there. Times are kept to the millisecond, as in LiteDB.
/// </summary>
public sealed class PostgresQueueStore(PostgresDatabase db) : IQueueStore
{
    private const string PostColumns = "ticket, team, posted_at, messages";

    public Task<bool> TryAddPostAsync(QueuePost post, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var added = await PostgresDatabase.Execute(c, tx, $"""
                insert into queue_posts (id, {PostColumns}, unlinked) values (@id, @ticket, @team, @at, @messages::jsonb, @unlinked)
                on conflict (id) do nothing
                """, cancellationToken, PostParameters(post));
            if (added == 0)
            {
                return false;
            }

            foreach (var message in post.Messages.Where(m => m.ThreadId is not null))
            {
                await Rows.LinkAsync(c, tx, Rows.ThreadKey(new ConversationRef(message.Channel, message.ConversationId, message.ThreadId)), post.Ticket, cancellationToken);
            }

            await Rows.EnqueueAsync(c, tx, messages, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<QueuePost>> PostsOfAsync(string ticket, CancellationToken cancellationToken = default) =>
        PostsAsync($"select {PostColumns} from queue_posts where ticket = @ticket order by posted_at, id", ("ticket", ticket), cancellationToken);

    public Task<IReadOnlyList<QueuePost>> UnlinkedPostsAsync(CancellationToken cancellationToken = default) =>
        PostsAsync($"select {PostColumns} from queue_posts where unlinked order by id", null, cancellationToken);

    public Task UpdatePostAsync(QueuePost post, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, $"""
            insert into queue_posts (id, {PostColumns}, unlinked) values (@id, @ticket, @team, @at, @messages::jsonb, @unlinked)
            on conflict (id) do update set ticket = excluded.ticket, team = excluded.team, posted_at = excluded.posted_at,
                messages = excluded.messages, unlinked = excluded.unlinked
            """, cancellationToken, PostParameters(post)), cancellationToken);

    public Task<IReadOnlySet<string>> MarkedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlySet<string>>(async c =>
        {
            await using var command = new NpgsqlCommand("select key from queue_once where key = any(@keys)", c);
            command.Parameters.AddWithValue("keys", keys.ToArray());
            var marked = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                marked.Add(reader.GetString(0));
            }

            return marked;
        }, cancellationToken);

    public Task<bool> TryMarkOnceAsync(IReadOnlyCollection<string> keys, DateTimeOffset at, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            // Keys in one order, so two instances marking overlapping sets wait on each other instead of deadlocking. An
            // instance marking a key another has inserted and not committed yet waits for that commit, then finds it.
            var distinct = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            await tx.SaveAsync("marks", cancellationToken);
            var added = await PostgresDatabase.Execute(c, tx, """
                insert into queue_once (key, at) select k, @at from unnest(@keys) as k order by k
                on conflict (key) do nothing
                """, cancellationToken, ("keys", distinct), ("at", Rows.Ms(at)));
            if (added < distinct.Length)
            {
                // Every key or none: the ones this write did insert go too.
                await tx.RollbackAsync("marks", cancellationToken);
                return false;
            }

            await Rows.EnqueueAsync(c, tx, messages, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<long> GetCheckpointAsync(string name, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand("select seq from queue_checkpoints where name = @name", c);
            command.Parameters.AddWithValue("name", name);
            return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0L;
        }, cancellationToken);

    public Task SetCheckpointAsync(string name, long seq, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
            "insert into queue_checkpoints (name, seq) values (@name, @seq) on conflict (name) do update set seq = excluded.seq",
            cancellationToken, ("name", name), ("seq", seq)), cancellationToken);

    public Task ScheduleSurveyAsync(PendingSurvey survey, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
            "insert into queue_surveys (resolution_event_id, ticket, due) values (@id, @ticket, @due) on conflict (resolution_event_id) do nothing",
            cancellationToken, ("id", survey.ResolutionEventId), ("ticket", survey.Ticket), ("due", Rows.Ms(survey.Due))), cancellationToken);

    public Task<IReadOnlyList<PendingSurvey>> DueSurveysAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<PendingSurvey>>(async c =>
        {
            await using var command = new NpgsqlCommand(
                "select resolution_event_id, ticket, due from queue_surveys where due <= @now order by due, resolution_event_id limit @max", c);
            command.Parameters.AddWithValue("now", Rows.Ms(now));
            command.Parameters.AddWithValue("max", Math.Max(max, 0));
            var due = new List<PendingSurvey>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new PendingSurvey(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return due;
        }, cancellationToken);

    public Task RemoveSurveyAsync(string resolutionEventId, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
            "delete from queue_surveys where resolution_event_id = @id", cancellationToken, ("id", resolutionEventId)), cancellationToken);

    private Task<IReadOnlyList<QueuePost>> PostsAsync(string sql, (string Name, object Value)? parameter, CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<QueuePost>>(async c =>
        {
            await using var command = new NpgsqlCommand(sql, c);
            if (parameter is { } p)
            {
                command.Parameters.AddWithValue(p.Name, p.Value);
            }

            var posts = new List<QueuePost>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                posts.Add(new QueuePost(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    JsonSerializer.Deserialize<List<QueuePostMessage>>(reader.GetString(3), Rows.Json) ?? []));
            }

            return posts;
        }, cancellationToken);

    private static (string, object?)[] PostParameters(QueuePost post) =>
    [
        ("id", post.Id),
        ("ticket", post.Ticket),
        ("team", post.Team),
        ("at", Rows.Ms(post.PostedAt)),
        ("messages", JsonSerializer.Serialize(post.Messages, Rows.Json)),
        ("unlinked", post.Messages.Any(m => m.ThreadId is null)),
    ];

    /// <summary>To the millisecond, as the LiteDB file keeps times, so both stores give back the same instant.</summary>
}
