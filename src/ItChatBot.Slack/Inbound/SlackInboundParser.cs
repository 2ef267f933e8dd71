using System.Text.Json;
using System.Text.RegularExpressions;
using ItChatBot.Core.Conversations;
using ItChatBot.Slack.BlockKit;
using ItChatBot.Slack.WebApi;

namespace ItChatBot.Slack.Inbound;

/// <summary>Turns Slack payloads into the router's channel-neutral inbounds. Pure: no I/O.</summary>
public static partial class SlackInboundParser
{
    private const string Slack = Core.Conversations.Channels.Slack;

    /// <summary>A DM, a mention or a thread reply, without the bot's own mention; null when the event is not user input.</summary>
    /// <param name="self">The bot's identity from <c>auth.test</c>, when known (see <see cref="SlackEventFilter.IsUserInput"/>).</param>
    public static InboundMessage? Message(string platformId, JsonElement callback, DateTimeOffset receivedAt, SlackIdentity? self = null)
    {
        var inner = callback.Obj("event");
        if (!SlackEventFilter.IsUserInput(inner, self))
        {
            return null;
        }

        var text = WithoutBotMention(inner.Str("text") ?? "", self?.UserId ?? BotUserOf(callback), inner.Str("type") == "app_mention");

        return new InboundMessage
        {
            PlatformId = platformId,
            Conversation = new ConversationRef(Slack, inner.Str("channel")!, inner.Str("thread_ts")),
            FromPlatformUserId = inner.Str("user")!,
            ReceivedAt = receivedAt,
            MessageId = inner.Str("ts"),
            Text = Unescape(text).Trim(),
        };
    }

    /// <summary>Whether the message arrived as a direct message to the bot (<c>message.im</c>) rather than in a channel.</summary>
    public static bool IsDirect(JsonElement callback) => callback.Obj("event").Str("channel_type") == "im";

    public static InboundCommand Command(string platformId, IReadOnlyDictionary<string, string> form, DateTimeOffset receivedAt) => new()
    {
        PlatformId = platformId,
        Conversation = new ConversationRef(Slack, form["channel_id"]),
        FromPlatformUserId = form["user_id"],
        ReceivedAt = receivedAt,
        Name = form["command"].TrimStart('/'),
        Text = Unescape(form.GetValueOrDefault("text") ?? "").Trim(),
    };

    /// <summary>
    /// A button press: the action id (without the suffix that made it unique in its block) and value; an overflow
    /// menu's option carries <c>actionId|value</c>. The card's thread is the conversation, so answers stay in it.
    /// </summary>
    public static CardAction Action(string platformId, JsonElement payload, DateTimeOffset receivedAt)
    {
        var action = payload.GetProperty("actions")[0];
        var actionId = BlockKitRenderer.OriginalActionId(action.Str("action_id")!);
        var value = action.Str("value") ?? action.Obj("selected_option").Str("value") ?? "";
        if (action.Str("type") == "overflow" && value.Split('|', 2) is [var chosenAction, var chosenValue])
        {
            (actionId, value) = (chosenAction, chosenValue);
        }

        var container = payload.Obj("container");
        var message = payload.Obj("message");
        var channel = container.Str("channel_id") ?? payload.Obj("channel").Str("id") ?? "";
        var messageTs = container.Str("message_ts") ?? message.Str("ts");
        var threadTs = container.Str("thread_ts") ?? message.Str("thread_ts");
        return new CardAction
        {
            PlatformId = platformId,
            Conversation = new ConversationRef(Slack, channel, threadTs),
            FromPlatformUserId = payload.Obj("user").Str("id")!,
            ReceivedAt = receivedAt,
            MessageId = messageTs,
            ActionId = actionId,
            Value = value,
            Inputs = Inputs(payload.Obj("state").Obj("values")),
        };
    }

    /// <summary><c>state.values[block][action]</c> → action id → typed text or chosen option.</summary>
    private static Dictionary<string, string> Inputs(JsonElement values)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values.ValueKind != JsonValueKind.Object)
        {
            return inputs;
        }

        foreach (var block in values.EnumerateObject())
        {
            if (block.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var element in block.Value.EnumerateObject())
            {
                if ((element.Value.Str("value") ?? element.Value.Obj("selected_option").Str("value")) is { } value)
                {
                    inputs[element.Name] = value;
                }
            }
        }

        return inputs;
    }

    /// <summary>
    /// Takes the bot's own mention out of the text: every <c>&lt;@BOTID&gt;</c> when the bot's user id is known (from
    /// <c>auth.test</c>, else from the envelope's <c>authorizations</c>), else only the leading mention of an app_mention,
    /// which is the bot's in the usual "@bot …". A channel message gets the same treatment: of a reply's two copies
    /// (app_mention, message.channels) either can be the one handled. Other people's mentions stay as Slack wrote them,
    /// <c>&lt;@U123&gt;</c>: the id is what names that person unambiguously (display names change and repeat, and looking one
    /// up is a Web API call this pure step does not make), and it shows as a live mention wherever the text goes back to
    /// Slack; "give &lt;@U123&gt; access" keeps whom the request is about.
    /// </summary>
    private static string WithoutBotMention(string text, string? botUserId, bool isMention) =>
        botUserId is not null
            ? MentionPattern().Replace(text, m => m.Groups["id"].ValueSpan.SequenceEqual(botUserId) ? "" : m.Value)
            : isMention ? LeadingMentionPattern().Replace(text, "", 1) : text;

    /// <summary>The bot user the event was delivered to: <c>authorizations[]</c>' bot entry (older payloads lack it).</summary>
    private static string? BotUserOf(JsonElement callback)
    {
        if (!callback.TryGetProperty("authorizations", out var authorizations) || authorizations.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var authorization in authorizations.EnumerateArray())
        {
            if (authorization.ValueKind == JsonValueKind.Object && authorization.TryGetProperty("is_bot", out var isBot)
                && isBot.ValueKind == JsonValueKind.True && authorization.Str("user_id") is { Length: > 0 } userId)
            {
                return userId;
            }
        }

        return null;
    }

    private static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>A user mention, <c>&lt;@U123&gt;</c> or <c>&lt;@U123|name&gt;</c>, with the spaces after it (they go with the bot's).</summary>
    [GeneratedRegex(@"<@(?<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>\s*")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>\s*")]
    private static partial Regex LeadingMentionPattern();
}
