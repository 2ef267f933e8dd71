using ItChatBot.Teams.Activities;

namespace ItChatBot.Teams.Storage;

/// <summary>
/// What the bot must remember to write first (protocols/teams.md §5): per conversation the connector's
/// <c>serviceUrl</c>, tenant and our bot account, and per user their Teams id and personal chat with the bot, so
/// approval requests and status messages can be sent proactively. Only filled from verified activities, so a
/// token is only ever sent to a <c>serviceUrl</c> that came from the Bot Framework.
/// </summary>
public interface IConversationReferences
{
    /// <summary>Records the conversation and the sender of a verified activity; cheap when nothing changed.</summary>
    Task RememberAsync(Activity activity, CancellationToken cancellationToken = default);

    Task<TeamsConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>By the directory's id for the user (Entra object id) or their Teams id (<c>29:…</c>).</summary>
    Task<TeamsUser?> FindUserAsync(string userId, CancellationToken cancellationToken = default);

    Task SavePersonalConversationAsync(TeamsUser user, string conversationId, CancellationToken cancellationToken = default);
}

public sealed record TeamsConversation(string ConversationId, string ServiceUrl, string? TenantId, string? ConversationType, string BotId, string? BotName);

/// <param name="UserId">The directory's id for the user: Entra object id, else the Teams id.</param>
/// <param name="TeamsUserId">The channel account id (<c>29:…</c>) used to create a 1:1 conversation.</param>
public sealed record TeamsUser(string UserId, string TeamsUserId, string? Name, string ServiceUrl, string? TenantId, string BotId, string? BotName, string? PersonalConversationId);
