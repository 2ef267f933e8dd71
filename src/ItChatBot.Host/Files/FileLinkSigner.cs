using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Files;

/// <summary>
/// Signs and checks download links: HMAC-SHA256 over the file id and the expiry (unix seconds), base64url. The key
/// comes from <c>Host:FileLinks:SigningKey</c>, or is made once at random and kept in the store (<see cref="ISecretStore"/>:
/// the data file's <c>secrets</c> collection, or PostgreSQL's <c>host_secrets</c>), never in code, never in a log.
/// </summary>
public sealed class FileLinkSigner(ISecretStore secrets, IOptions<FileLinkOptions> options)
{
    private const string KeyId = "file-links";

    // Kept in memory after the first use, under several instances too: the stored key is made once and never changes,
    // so every instance holds the same one (a link signed by one is verified by another). A first use that failed (the
    // database out of reach for a moment) is not kept: the next use asks again.
    private Task<byte[]>? _key;

    public async Task<string> SignAsync(string id, long expires) =>
        Base64Url(HMACSHA256.HashData(await KeyAsync(), Payload(id, expires)));

    /// <summary>Null when the link is good; otherwise why it is refused. The signature is checked before the expiry, so a changed expiry reads as tampering.</summary>
    public async Task<string?> CheckAsync(string id, string? exp, string? sig, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(exp) || string.IsNullOrEmpty(sig))
        {
            return "The link is incomplete: it needs the exp and sig parameters exactly as the bot gave them.";
        }

        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return $"The link's exp '{exp}' is not a time (unix seconds); use the link exactly as the bot gave it.";
        }

        var expected = Encoding.ASCII.GetBytes(await SignAsync(id, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig)))
        {
            return "The link's signature does not match: the link was changed, or it was not made by this service.";
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return now >= expiresAt
            ? string.Create(CultureInfo.InvariantCulture, $"The link expired at {expiresAt:yyyy-MM-dd HH:mm} UTC; ask the bot again for a fresh one.")
            : null;
    }

    private static byte[] Payload(string id, long expires) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}\n{expires}"));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<byte[]> KeyAsync()
    {
        // Two first uses at once may both load it: the store hands both the one key it keeps.
        var loading = Volatile.Read(ref _key);
        if (loading is null)
        {
            var started = LoadKeyAsync(secrets, options.Value);
            loading = Interlocked.CompareExchange(ref _key, started, null) ?? started;
        }

        try
        {
            return await loading;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _key, null, loading);
            throw;
        }
    }

    private static async Task<byte[]> LoadKeyAsync(ISecretStore secrets, FileLinkOptions options) =>
        string.IsNullOrEmpty(options.SigningKey)
            ? await secrets.GetOrAddAsync(KeyId, RandomNumberGenerator.GetBytes(32))
            : Encoding.UTF8.GetBytes(options.SigningKey);
}
