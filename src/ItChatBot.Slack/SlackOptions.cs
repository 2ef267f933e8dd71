namespace ItChatBot.Slack;

/// <summary>The <c>Slack</c> settings section (DESIGN §6). The channel is off while the secrets are empty.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>Signs every HTTP request Slack sends; with <see cref="BotToken"/> it switches the HTTP endpoints on.</summary>
    public string? SigningSecret { get; set; }

    /// <summary><c>xoxb-…</c>: the Web API token the bot posts with.</summary>
    public string? BotToken { get; set; }

    /// <summary><c>xapp-…</c> with <c>connections:write</c>: switches Socket Mode on.</summary>
    public string? AppToken { get; set; }

    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>
    /// How long one Web API call may take before it is given up and tried again (up to three more times); a call that
    /// still has no answer fails, and its outbox message waits for its next attempt.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests larger than this are refused with 413 before their signature is even checked.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    public bool HttpEnabled => !string.IsNullOrWhiteSpace(SigningSecret) && !string.IsNullOrWhiteSpace(BotToken);

    public bool SocketModeEnabled => !string.IsNullOrWhiteSpace(AppToken) && !string.IsNullOrWhiteSpace(BotToken);

    public bool Enabled => HttpEnabled || SocketModeEnabled;

    /// <summary>
    /// How long Socket Mode waits for Slack to answer a ping before it takes the connection for dead (a NAT or network
    /// drop that never closed it) and opens a new one. It pings after 5 s without a frame from Slack, or sooner when
    /// this is shorter. Zero or less is refused at start.
    /// </summary>
    public TimeSpan SocketModePingTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
