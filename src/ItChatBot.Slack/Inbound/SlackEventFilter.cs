using System.Text.Json;
using ItChatBot.Slack.WebApi;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Which inner events are user input for the bot. Bots' messages (our own cards included, which come back
/// as <c>message.im</c>), the bot's own user and housekeeping subtypes are dropped before anything is stored.
/// </summary>
public static class SlackEventFilter
{
    private static readonly HashSet<string> UserSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast" };

    /// <param name="self">
    /// The bot's identity from <c>auth.test</c> when known: its own user id is dropped too (slack.md §2), for events that
    /// carry the bot's user without a <c>bot_id</c>. Null until <c>auth.test</c> answered; then only <c>bot_id</c> counts.
    /// </param>
    public static bool IsUserInput(JsonElement inner, SlackIdentity? self = null)
    {
        var type = inner.Str("type");
        if (type is not ("message" or "app_mention"))
        {
            return false;
        }

        // Any bot_id means a bot wrote it; answering other bots invites loops, answering ourselves certainly does.
        if (inner.Str("bot_id") is not null || inner.Str("user") is not { } user || inner.Str("channel") is null || inner.Str("ts") is null)
        {
            return false;
        }

        if (self is not null && user == self.UserId)
        {
            return false;
        }

        return inner.Str("subtype") is not { } subtype || UserSubtypes.Contains(subtype);
    }

    /// <summary>
    /// Whether an inner event is stored at all, the same over HTTP and Socket Mode: user input (<see cref="IsUserInput"/>)
    /// that may concern the bot (<see cref="MayConcernTheBot"/>).
    /// </summary>
    public static bool ShouldStore(JsonElement inner, SlackIdentity? self) => IsUserInput(inner, self) && MayConcernTheBot(inner);

    /// <summary>
    /// Whether the event can be for the bot, judged from the event alone so the ack never waits on the store: a DM, a
    /// mention, or a reply in a thread (which may be a ticket's; the handler checks). A top-level channel message
    /// (<c>message.channels</c>/<c>.groups</c> without <c>thread_ts</c>) never is: the handler would ignore it, so it is
    /// not stored at all rather than kept in the inbox for nothing (people's chatter is not ours to keep).
    /// </summary>
    public static bool MayConcernTheBot(JsonElement inner) =>
        inner.Str("type") == "app_mention" || inner.Str("channel_type") == "im" || inner.Str("thread_ts") is not null;
}
