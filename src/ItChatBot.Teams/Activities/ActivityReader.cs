using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Cards;

namespace ItChatBot.Teams.Activities;

/// <summary>
/// Turns a verified activity into what the router understands: a message (bot mention stripped), a typed
/// command (<c>it status IT-12</c>, <c>kpi backlog</c>), or a card action (Action.Execute invoke or Action.Submit).
/// <see cref="Problem"/> says what is wrong with an activity before anything is stored.
/// </summary>
public static partial class ActivityReader
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Commands that may be typed as the first word of a Teams message.</summary>
    public static readonly IReadOnlySet<string> TypedCommands = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "it", "kpi" };

    /// <summary>Null when the activity can be handled; otherwise the reason for a 400. Only for types the bot handles.</summary>
    public static string? Problem(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return "'type' is required (message, invoke, conversationUpdate ...).";
        }

        if (string.IsNullOrWhiteSpace(activity.Id))
        {
            return "'id' is required: the channel's id of the activity.";
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return "'conversation.id' is required: the conversation the activity belongs to.";
        }

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return "'serviceUrl' is required: the absolute URL of the connector to answer through.";
        }

        if (activity.Type != ActivityTypes.ConversationUpdate && string.IsNullOrWhiteSpace(activity.From?.Id))
        {
            return "'from.id' is required: who sent the activity.";
        }

        // An id is not text to clean (an edited one would name something else), and PostgreSQL refuses the NUL character where
        // the LiteDB file keeps it: a delivery whose id held one would stay in the journal, refused by the inbox at every start.
        if (IdWithNul(activity) is { } field)
        {
            return $"'{field}' contains {NulCharacter.Name}, which no id holds.";
        }

        // Another invoke name is answered in the invoke response (see UnknownInvoke), not refused as bad input.
        if (activity.Type == ActivityTypes.Invoke && activity.Name == ActivityTypes.AdaptiveCardInvoke && ReadExecute(activity) is null)
        {
            return "An adaptiveCard/action invoke needs value.action with a 'verb' and a 'data' object carrying 'value'.";
        }

        return null;
    }

    private static string? IdWithNul(Activity activity) =>
        new (string Field, string? Value)[]
        {
            ("id", activity.Id), ("conversation.id", activity.Conversation?.Id), ("from.id", activity.From?.Id),
            ("from.aadObjectId", activity.From?.AadObjectId), ("recipient.id", activity.Recipient?.Id), ("replyToId", activity.ReplyToId),
            ("serviceUrl", activity.ServiceUrl), ("conversation.tenantId", activity.Conversation?.TenantId),
        }.FirstOrDefault(id => NulCharacter.In(id.Value)).Field;

    /// <summary>The router's view of a message or invoke; null for activities that carry nothing to route.</summary>
    public static Inbound? ToInbound(Activity activity, DateTimeOffset now)
    {
        // A channel thread's own id carries its root post: the channel's conversation, in that thread (TeamsThreads).
        var (conversationId, thread) = TeamsThreads.Split(activity.Conversation!.Id!);
        var conversation = new ConversationRef(Channels.Teams, conversationId, thread);
        var platformId = PlatformId(activity);
        var from = activity.FromUserId!;
        var threadless = IsThreadless(activity);
        if (activity.Type == ActivityTypes.Invoke)
        {
            var (actionId, value, inputs) = ReadExecute(activity)!.Value;
            return new CardAction
            {
                PlatformId = platformId, Conversation = conversation, FromPlatformUserId = from, ReceivedAt = now,
                MessageId = activity.ReplyToId, ActionId = actionId, Value = value, Inputs = inputs, Threadless = threadless,
            };
        }

        if (activity.Type != ActivityTypes.Message)
        {
            return null;
        }

        // Action.Submit: the button's data (and the card's inputs) arrive as the message's value.
        if (activity.Value is { ValueKind: JsonValueKind.Object } submitted && ReadData(submitted) is { } submit)
        {
            return new CardAction
            {
                PlatformId = platformId, Conversation = conversation, FromPlatformUserId = from, ReceivedAt = now,
                MessageId = activity.ReplyToId, ActionId = submit.ActionId, Value = submit.Value, Inputs = submit.Inputs, Threadless = threadless,
            };
        }

        var text = CleanText(activity);
        var firstSpace = text.IndexOf(' ', StringComparison.Ordinal);
        var firstWord = (firstSpace < 0 ? text : text[..firstSpace]).TrimStart('/');
        if (text.Length == 0 || TypedCommands.Contains(firstWord))
        {
            return new InboundCommand
            {
                PlatformId = platformId, Conversation = conversation, FromPlatformUserId = from, ReceivedAt = now, MessageId = activity.Id,
                Threadless = threadless,
                Name = text.Length == 0 ? "it" : firstWord.ToLowerInvariant(),
                Text = text.Length == 0 ? "help" : firstSpace < 0 ? "" : text[(firstSpace + 1)..].Trim(),
            };
        }

        return new InboundMessage
        {
            PlatformId = platformId, Conversation = conversation, FromPlatformUserId = from, ReceivedAt = now, MessageId = activity.Id, Text = text,
            Threadless = threadless,
        };
    }

    /// <summary>A personal or group chat: unlike a channel, it has no threads to reply in.</summary>
    public static bool IsThreadless(Activity activity) =>
        activity.Conversation?.ConversationType is { } type
        && (type.Equals("personal", StringComparison.OrdinalIgnoreCase) || type.Equals("groupChat", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The key an activity is stored and de-duplicated under. Teams message ids are millisecond timestamps, unique only
    /// within their conversation, so the id alone would drop a message from another conversation that arrived in the
    /// same millisecond; a redelivery of the same activity names the same conversation and id, so it still matches.
    /// </summary>
    public static string PlatformId(Activity activity) => $"teams:{activity.Conversation?.Id}:{activity.Id}";

    /// <summary>A channel or group chat (others read along), as opposed to the bot's personal chat with one user.</summary>
    public static bool IsSharedConversation(Activity activity) =>
        activity.Conversation?.ConversationType is { } type
            ? type.Equals("channel", StringComparison.OrdinalIgnoreCase) || type.Equals("groupChat", StringComparison.OrdinalIgnoreCase)
            : activity.Conversation?.IsGroup == true;

    /// <summary>The text without the bot's @mention (group chats and channels) and without other markup.</summary>
    public static string CleanText(Activity activity)
    {
        var text = activity.Text ?? "";
        foreach (var mention in activity.Entities ?? [])
        {
            if (mention.Type == "mention" && mention.Text is { Length: > 0 } tag
                && (mention.Mentioned?.Id == activity.Recipient?.Id || activity.Recipient?.Id is null))
            {
                text = text.Replace(tag, " ", StringComparison.Ordinal);
            }
        }

        // Other people's mentions keep their names; any remaining tags (Teams sends HTML in channels) go.
        text = Tags().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        return Spaces().Replace(text, " ").Trim();
    }

    private static (string ActionId, string Value, IReadOnlyDictionary<string, string> Inputs)? ReadExecute(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parsed = ReadData(data);
        if (parsed is null && action.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String
            && data.TryGetProperty(AdaptiveCardRenderer.ValueKey, out var v) && v.ValueKind == JsonValueKind.String)
        {
            parsed = (verb.GetString()!, v.GetString()!, Inputs(data));
        }

        return parsed;
    }

    private static (string ActionId, string Value, IReadOnlyDictionary<string, string> Inputs)? ReadData(JsonElement data) =>
        data.TryGetProperty(AdaptiveCardRenderer.ActionKey, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } actionId
        && data.TryGetProperty(AdaptiveCardRenderer.ValueKey, out var value) && value.ValueKind == JsonValueKind.String
            ? (actionId, value.GetString()!, Inputs(data))
            : null;

    private static Dictionary<string, string> Inputs(JsonElement data) => data.EnumerateObject()
        .Where(p => p.Name is not (AdaptiveCardRenderer.ActionKey or AdaptiveCardRenderer.ValueKey) && p.Value.ValueKind == JsonValueKind.String)
        .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
