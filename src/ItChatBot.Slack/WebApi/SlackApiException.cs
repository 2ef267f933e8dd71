namespace ItChatBot.Slack.WebApi;

/// <summary>
/// A Web API call failed: <see cref="Error"/> is Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>,
/// <c>http_503</c>). <see cref="RetryAfter"/> is set when Slack said how long to wait (HTTP 429).
/// </summary>
public sealed class SlackApiException(string method, string error, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"Slack {method} failed: {error}", inner)
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// Slack refuses the call as made, and will again until someone changes the app, the token or the channel:
    /// https://api.slack.com/methods/chat.postMessage#errors and the errors common to every method. An upload's own HTTP
    /// status is never permanent: the upload URL is single-use and short-lived, and the next attempt asks for a new one.
    /// </summary>
    public bool Permanent => PermanentErrors.Contains(Error) || (Method != UploadMethod && Error.StartsWith("http_", StringComparison.Ordinal)
        && int.TryParse(Error.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture, out var status) && Core.Conversations.ChannelSendException.IsPermanentStatus(status));

    /// <summary>The <see cref="Method"/> of a failed upload to the URL <c>files.getUploadURLExternal</c> handed out.</summary>
    public const string UploadMethod = "files upload";

    private static readonly HashSet<string> PermanentErrors = new(StringComparer.Ordinal)
    {
        // The place: gone, archived, or not one the bot may write to.
        "channel_not_found", "not_in_channel", "is_archived", "restricted_action", "user_not_found", "cannot_dm_bot",
        "message_not_found", "cant_update_message", "edit_window_closed",
        // The credentials: the token is wrong, revoked or lacks a scope the manifest should have granted.
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "no_permission",
        "missing_scope", "not_allowed_token_type", "ekm_access_denied", "team_access_not_granted", "access_denied",
        // The message itself: Slack will not take it as built.
        "invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "too_many_attachments", "invalid_arguments",
    };
}
