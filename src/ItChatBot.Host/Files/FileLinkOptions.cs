namespace ItChatBot.Host.Files;

/// <summary>
/// Signed download links (<c>GET /files/{id}?exp=&amp;sig=</c>): <c>Host:PublicBaseUrl</c> is the address people and
/// Teams reach this host at (the same host that answers Teams' <c>/api/messages</c>), <c>Host:FileLinks</c> the rest.
/// </summary>
public sealed class FileLinkOptions
{
    public const string Section = "Host:FileLinks";

    /// <summary>E.g. <c>https://itchatbot.example.com</c>. Empty: links are host-relative, which only the web chat can use.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long a link works; the file is kept as long.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The HMAC-SHA256 key, at least 32 characters. Empty: a random key is made on first start and kept in the
    /// data file, so links survive restarts without a secret in the settings.
    /// </summary>
    public string? SigningKey { get; set; }

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(90);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query)))
        {
            return $"Host:PublicBaseUrl must be an absolute http(s) address without a query, such as https://itchatbot.example.com (got '{PublicBaseUrl}').";
        }

        if (Lifetime <= TimeSpan.Zero || Lifetime > MaxLifetime)
        {
            return $"Host:FileLinks:Lifetime must be more than zero and at most {MaxLifetime.TotalDays} days (got {Lifetime}).";
        }

        if (!string.IsNullOrEmpty(SigningKey) && SigningKey.Length < 32)
        {
            return "Host:FileLinks:SigningKey must be at least 32 characters, or empty to let the service make and keep one.";
        }

        return null;
    }
}
