using System.Text.Json;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Which inner events are user input for the bot. Bots' messages (our own cards included, which come back
/// as <c>message.im</c>) and housekeeping subtypes are dropped before anything is stored.
/// </summary>
public static class SlackEventFilter
{
    private static readonly HashSet<string> UserSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast" };

    public static bool IsUserInput(JsonElement inner)
    {
        var type = inner.Str("type");
        if (type is not ("message" or "app_mention"))
        {
            return false;
        }

        // Any bot_id means a bot wrote it; answering other bots invites loops, answering ourselves certainly does.
        if (inner.Str("bot_id") is not null || inner.Str("user") is null || inner.Str("channel") is null || inner.Str("ts") is null)
        {
            return false;
        }

        return inner.Str("subtype") is not { } subtype || UserSubtypes.Contains(subtype);
    }

    /// <summary>
    /// Whether the event can be for the bot, judged from the event alone so the ack never waits on the store: a DM, a
    /// mention, or a reply in a thread (which may be a ticket's; the handler checks). A top-level channel message
    /// (<c>message.channels</c>/<c>.groups</c> without <c>thread_ts</c>) never is: the handler would ignore it, so it is
    /// not stored at all rather than kept in the inbox for nothing (people's chatter is not ours to keep).
    /// </summary>
    public static bool MayConcernTheBot(JsonElement inner) =>
        inner.Str("type") == "app_mention" || inner.Str("channel_type") == "im" || inner.Str("thread_ts") is not null;
}
