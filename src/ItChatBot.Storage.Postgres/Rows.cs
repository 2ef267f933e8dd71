using System.Text.Json;
using ItChatBot.Core.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// Writes that several parts make inside a transaction of their own (<see cref="PostgresDatabase.WriteAsync{T}"/>), so
/// that what they store and the messages it sends, or the thread it links, commit together: a queue post with its cards,
/// a turn's completion with its replies, a ticket's creation with its thread.
/// </summary>
public static class Rows
{
    /// <summary>How messages and other records are kept as JSON: System.Text.Json with web defaults, as the LiteDB store does.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The notification channel that says the outbox has new messages (LISTEN <c>itchatbot_outbox</c>).</summary>
    public const string OutboxChannel = "itchatbot_outbox";

    /// <summary>
    /// Puts <paramref name="messages"/> in the outbox, pending and due at their creation; one whose id the outbox holds
    /// already is left out (a turn that runs again says its receipt again). Returns how many were asked for.
    /// </summary>
    public static async Task<int> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            foreach (var m in messages)
            {
                var command = new NpgsqlBatchCommand(
                    "insert into outbox (mid, conv, channel, state, attempts, next_at, json) values ($1, $2, $3, 'Pending', 0, $4, $5) on conflict (mid) do nothing");
                command.Parameters.Add(new NpgsqlParameter { Value = m.Id });
                command.Parameters.Add(new NpgsqlParameter { Value = ConversationKey(m.Conversation.Channel, m.Conversation.ConversationId) });
                command.Parameters.Add(new NpgsqlParameter { Value = m.Conversation.Channel });
                command.Parameters.Add(new NpgsqlParameter { Value = Utc(m.CreatedAt), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(m, Json) });
                batch.BatchCommands.Add(command);
            }

            // Delivered at commit, to every instance listening: the one that leads the outbox sends at once instead of at
            // its next once-a-second look. PostgreSQL folds identical notifications of one transaction into one.
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"select pg_notify('{OutboxChannel}', '')"));

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        return messages.Count;
    }

    /// <summary>Links a thread (or a delivery, <see cref="DeliveryKey"/>) to a ticket; a later link of the same key replaces it.</summary>
    public static Task<int> LinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, string ticket, CancellationToken cancellationToken = default) =>
        PostgresDatabase.Execute(
            connection, transaction,
            "insert into thread_links (key, ticket) values (@key, @ticket) on conflict (key) do update set ticket = excluded.ticket",
            cancellationToken, ("key", key), ("ticket", ticket));

    /// <summary>
    /// A time as every store keeps it: UTC, whole milliseconds (PostgreSQL would keep microseconds, LiteDB keeps
    /// milliseconds), so that what the two stores read back, and which of two instants counts as later, is the same.
    /// </summary>
    public static DateTimeOffset Ms(DateTimeOffset at) => ItChatBot.Core.Tickets.TicketEvent.Truncate(at);

    /// <summary>A time for a <c>timestamptz</c> column: PostgreSQL keeps the instant, Npgsql wants it with offset zero.</summary>
    public static DateTimeOffset Utc(DateTimeOffset at) => at.ToUniversalTime();

    public static string ConversationKey(string channel, string conversationId) => $"{channel}|{conversationId}";

    public static string ThreadKey(ConversationRef thread) => $"{thread.Channel}|{thread.ConversationId}|{thread.ThreadId}";

    /// <summary>A delivery's link beside the thread links: no channel name holds '|', so it cannot meet a thread's key.</summary>
    public static string DeliveryKey(string platformId) => $"|delivery|{platformId}";
}
