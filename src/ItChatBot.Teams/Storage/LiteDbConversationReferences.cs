using System.Collections.Concurrent;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Teams.Activities;
using LiteDB;

namespace ItChatBot.Teams.Storage;

/// <summary>
/// Conversation references in the service's LiteDB file, written on its group-commit writer. A memory copy in
/// front means an activity from a known conversation and user costs no write at all. The copy is right only because
/// this process is the file's single writer; with several instances on one database another instance's write would not
/// reach it, so <see cref="PostgresConversationReferences"/> reads through instead.
/// </summary>
public sealed class LiteDbConversationReferences : IConversationReferences
{
    private const string Conversations = "teams_conversations";
    private const string Users = "teams_users";

    private readonly LiteDbStore _store;
    private readonly ConcurrentDictionary<string, TeamsConversation> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TeamsUser> _users = new(StringComparer.Ordinal);

    public LiteDbConversationReferences(LiteDbStore store)
    {
        _store = store;
        store.Database.GetCollection(Users).EnsureIndex("teamsUserId", "$.teamsUserId");
        store.EnsureCollections(Conversations);
    }

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
            await _store.WriteAsync(db => db.GetCollection(Conversations).Upsert(ToDocument(conversation)));
            _conversations[conversationId] = conversation;
        }

        if (activity.FromUserId is not { Length: > 0 } userId || activity.From?.Id is not { Length: > 0 } teamsUserId)
        {
            return;
        }

        var known = await FindUserAsync(userId, cancellationToken);
        var personal = activity.Conversation.ConversationType == "personal" ? conversationId : known?.PersonalConversationId;
        var user = new TeamsUser(userId, teamsUserId, activity.From.Name ?? known?.Name, serviceUrl, activity.TenantId ?? known?.TenantId, botId, activity.Recipient?.Name, personal);
        if (known != user)
        {
            await SaveAsync(user);
        }
    }

    public Task<TeamsConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        if (_conversations.TryGetValue(conversationId, out var cached))
        {
            return Task.FromResult<TeamsConversation?>(cached);
        }

        var doc = _store.Database.GetCollection(Conversations).FindById(conversationId);
        if (doc is null)
        {
            return Task.FromResult<TeamsConversation?>(null);
        }

        var conversation = new TeamsConversation(doc["_id"].AsString, doc["serviceUrl"].AsString, Str(doc, "tenantId"), Str(doc, "type"), doc["botId"].AsString, Str(doc, "botName"));
        _conversations[conversationId] = conversation;
        return Task.FromResult<TeamsConversation?>(conversation);
    }

    public Task<TeamsUser?> FindUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (_users.TryGetValue(userId, out var cached))
        {
            return Task.FromResult<TeamsUser?>(cached);
        }

        var col = _store.Database.GetCollection(Users);
        var doc = col.FindById(userId) ?? col.FindOne("$.teamsUserId = @0", userId);
        if (doc is null)
        {
            return Task.FromResult<TeamsUser?>(null);
        }

        var user = new TeamsUser(doc["_id"].AsString, doc["teamsUserId"].AsString, Str(doc, "name"), doc["serviceUrl"].AsString,
            Str(doc, "tenantId"), doc["botId"].AsString, Str(doc, "botName"), Str(doc, "personal"));
        _users[userId] = user;
        return Task.FromResult<TeamsUser?>(user);
    }

    public Task SavePersonalConversationAsync(TeamsUser user, string conversationId, CancellationToken cancellationToken = default) =>
        SaveAsync(user with { PersonalConversationId = conversationId });

    private async Task SaveAsync(TeamsUser user)
    {
        await _store.WriteAsync(db => db.GetCollection(Users).Upsert(new BsonDocument
        {
            ["_id"] = user.UserId,
            ["teamsUserId"] = user.TeamsUserId,
            ["name"] = user.Name,
            ["serviceUrl"] = user.ServiceUrl,
            ["tenantId"] = user.TenantId,
            ["botId"] = user.BotId,
            ["botName"] = user.BotName,
            ["personal"] = user.PersonalConversationId,
        }));
        _users[user.UserId] = user;
        _users[user.TeamsUserId] = user;
    }

    private static BsonDocument ToDocument(TeamsConversation c) => new()
    {
        ["_id"] = c.ConversationId,
        ["serviceUrl"] = c.ServiceUrl,
        ["tenantId"] = c.TenantId,
        ["type"] = c.ConversationType,
        ["botId"] = c.BotId,
        ["botName"] = c.BotName,
    };

    private static string? Str(BsonDocument doc, string key) => doc.TryGetValue(key, out var v) && v.IsString ? v.AsString : null;
}
