using System.Text.Json;
using System.Text.Json.Serialization;
using ItChatBot.Core.Storage;

namespace ItChatBot.Teams.Activities;

/// <summary>
/// The Bot Framework activity fields this adapter reads (protocols/teams.md §2). Unknown fields are ignored;
/// the raw body is what gets stored.
/// </summary>
public sealed record Activity
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Timestamp { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public string? ReplyToId { get; init; }

    public string? Text { get; init; }

    public string? TextFormat { get; init; }

    public string? Name { get; init; }

    public JsonElement? Value { get; init; }

    public IReadOnlyList<Entity>? Entities { get; init; }

    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    public JsonElement? ChannelData { get; init; }

    /// <summary>The tenant: <c>conversation.tenantId</c>, else <c>channelData.tenant.id</c>.</summary>
    [JsonIgnore]
    public string? TenantId =>
        Conversation?.TenantId is { Length: > 0 } tenant ? tenant
        : ChannelData is { ValueKind: JsonValueKind.Object } data
          && data.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.Object
          && t.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>The sender as the directory knows them: the Entra object id when Teams sends it (DESIGN §2), else the channel user id.</summary>
    [JsonIgnore]
    public string? FromUserId => From?.AadObjectId is { Length: > 0 } aad ? aad : From?.Id;
}

/// <summary>A sender, recipient or mentioned account as the activity names it.</summary>
public sealed record ChannelAccount(string? Id, string? Name = null, string? AadObjectId = null)
{
    /// <summary>
    /// The display name without the NUL character (U+0000), as chat text loses it (<see cref="Core.Conversations.ChatText"/>):
    /// the name is remembered with the conversation reference, and PostgreSQL refuses a NUL where the LiteDB file keeps it.
    /// Taken out here, where the activity is read, so both stores are given the same name; the raw body is stored as it came.
    /// </summary>
    public string? Name { get; init; } = Name is null ? null : NulCharacter.Remove(Name);
}

public sealed record ConversationAccount(string? Id, string? ConversationType = null, string? TenantId = null, bool? IsGroup = null, string? Name = null);

public sealed record Entity(string? Type, ChannelAccount? Mentioned = null, string? Text = null);
