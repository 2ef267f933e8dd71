using ItChatBot.Storage.Postgres;
using ItChatBot.Teams.Activities;
using Npgsql;
using NpgsqlTypes;

namespace ItChatBot.Teams.Storage;

/// <summary>
/// Conversation references in PostgreSQL (Schema/0430-teams-references.sql), read through on every call. Unlike the
/// LiteDB store there is no memory copy: with several instances a user's personal chat saved by one, or a conversation's
/// new <c>serviceUrl</c>, must be what another sends with, and a copy here would go on serving the old one. An activity
/// from a known conversation and user still costs no write: it is compared with what is stored first (one read each).
/// When something did change, the row is merged in one statement against the row as it stands then (a name, tenant or
/// personal chat the activity does not carry keeps the stored one), so two instances remembering the same user at once
/// cannot undo each other's personal chat.
/// </summary>
public sealed class PostgresConversationReferences(PostgresDatabase db) : IConversationReferences
{
    private const string UserColumns = "user_id, teams_user_id, name, service_url, tenant_id, bot_id, bot_name, personal";

    public async Task RememberAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        if (activity.ServiceUrl is not { Length: > 0 } serviceUrl || activity.Conversation?.Id is not { Length: > 0 } activityConversation)
        {
            return;
        }

        // A channel thread's id is the channel's, with the thread's root post: the channel is remembered (TeamsThreads).
        var conversationId = TeamsThreads.Split(activityConversation).Conversation;

        var botId = activity.Recipient?.Id ?? "";
        var conversation = new TeamsConversation(conversationId, serviceUrl, activity.TenantId, activity.Conversation.ConversationType, botId, activity.Recipient?.Name);
        if (await FindConversationAsync(conversationId, cancellationToken) != conversation)
        {
            await db.WriteAsync((c, tx) => Execute(c, tx, cancellationToken, """
                insert into teams_conversations (conversation_id, service_url, tenant_id, conversation_type, bot_id, bot_name)
                values (@id, @url, @tenant, @type, @bot, @botName)
                on conflict (conversation_id) do update set service_url = excluded.service_url, tenant_id = excluded.tenant_id,
                    conversation_type = excluded.conversation_type, bot_id = excluded.bot_id, bot_name = excluded.bot_name
                """,
                ("id", conversation.ConversationId), ("url", conversation.ServiceUrl), ("tenant", conversation.TenantId),
                ("type", conversation.ConversationType), ("bot", conversation.BotId), ("botName", conversation.BotName)), cancellationToken);
        }

        if (activity.FromUserId is not { Length: > 0 } userId || activity.From?.Id is not { Length: > 0 } teamsUserId)
        {
            return;
        }

        var known = await FindUserAsync(userId, cancellationToken);
        var personal = activity.Conversation.ConversationType == "personal" ? conversationId : null;
        var user = new TeamsUser(userId, teamsUserId, activity.From.Name ?? known?.Name, serviceUrl, activity.TenantId ?? known?.TenantId, botId,
            activity.Recipient?.Name, personal ?? known?.PersonalConversationId);
        if (known == user)
        {
            return;
        }

        // The LiteDB store's merge (the activity's name, tenant and personal chat, else the known user's), made against the
        // stored row as the write finds it: a new row takes them from the user found as FindUserAsync finds one.
        await db.WriteAsync((c, tx) => Execute(c, tx, cancellationToken, $"""
            insert into teams_users ({UserColumns})
            select @id, @teamsId, coalesce(@name, k.name), @url, coalesce(@tenant, k.tenant_id), @bot, @botName, coalesce(@personal, k.personal)
            from (select 1) as one
            left join lateral (
                select name, tenant_id, personal from teams_users where user_id = @id or teams_user_id = @id order by user_id = @id desc, user_id limit 1
            ) as k on true
            on conflict (user_id) do update set teams_user_id = excluded.teams_user_id, name = coalesce(@name, teams_users.name),
                service_url = excluded.service_url, tenant_id = coalesce(@tenant, teams_users.tenant_id), bot_id = excluded.bot_id,
                bot_name = excluded.bot_name, personal = coalesce(@personal, teams_users.personal)
            """,
            ("id", userId), ("teamsId", teamsUserId), ("name", activity.From.Name), ("url", serviceUrl), ("tenant", activity.TenantId),
            ("bot", botId), ("botName", activity.Recipient?.Name), ("personal", personal)), cancellationToken);
    }

    public Task<TeamsConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            await using var command = Command(c, null,
                "select conversation_id, service_url, tenant_id, conversation_type, bot_id, bot_name from teams_conversations where conversation_id = @id",
                ("id", conversationId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new TeamsConversation(reader.GetString(0), reader.GetString(1), Str(reader, 2), Str(reader, 3), reader.GetString(4), Str(reader, 5))
                : null;
        }, cancellationToken);

    public Task<TeamsUser?> FindUserAsync(string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            // By the directory's id first, else by the Teams id, as the LiteDB store looks.
            await using var command = Command(c, null,
                $"select {UserColumns} from teams_users where user_id = @id or teams_user_id = @id order by user_id = @id desc, user_id limit 1",
                ("id", userId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new TeamsUser(reader.GetString(0), reader.GetString(1), Str(reader, 2), reader.GetString(3), Str(reader, 4), reader.GetString(5), Str(reader, 6), Str(reader, 7))
                : null;
        }, cancellationToken);

    public Task SavePersonalConversationAsync(TeamsUser user, string conversationId, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => Execute(c, tx, cancellationToken, $"""
            insert into teams_users ({UserColumns}) values (@id, @teamsId, @name, @url, @tenant, @bot, @botName, @personal)
            on conflict (user_id) do update set teams_user_id = excluded.teams_user_id, name = excluded.name, service_url = excluded.service_url,
                tenant_id = excluded.tenant_id, bot_id = excluded.bot_id, bot_name = excluded.bot_name, personal = excluded.personal
            """,
            ("id", user.UserId), ("teamsId", user.TeamsUserId), ("name", user.Name), ("url", user.ServiceUrl), ("tenant", user.TenantId),
            ("bot", user.BotId), ("botName", user.BotName), ("personal", conversationId)), cancellationToken);

    private static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, string sql, params (string Name, string? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A command whose parameters are all text, null or not (a null of unknown type cannot go in coalesce).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, string? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        }

        return command;
    }

    private static string? Str(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
