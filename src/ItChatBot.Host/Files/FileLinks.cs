using System.Globalization;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Files;

/// <summary>
/// Keeps a file and hands back a signed, expiring link to it (<c>/files/{id}?exp=&amp;sig=</c>), absolute when
/// <c>Host:PublicBaseUrl</c> is set. The link needs no credentials: it is the credential, so it expires, and each
/// download of an export is audited.
/// </summary>
public sealed class FileLinks(IFileStore store, FileLinkSigner signer, IOptions<FileLinkOptions> options, TimeProvider clock)
{
    private readonly FileLinkOptions _options = options.Value;

    /// <summary>True when links are absolute, so Teams and other clients off this host can follow them.</summary>
    public bool IsPublic => !string.IsNullOrWhiteSpace(_options.PublicBaseUrl);

    public async Task<string> PublishAsync(string name, string contentType, byte[] content, ExportOrigin? export, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();

        // Whole seconds, so the expiry in the link and the one kept with the file are the same instant.
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + _options.Lifetime).ToUnixTimeSeconds());
        var file = new StoredFile(NewId.Next(), name, contentType, now, expires, export);
        await store.SaveAsync(file, content, cancellationToken);
        return await LinkAsync(file.Id, expires);
    }

    public async Task<string> LinkAsync(string id, DateTimeOffset expires)
    {
        var exp = expires.ToUnixTimeSeconds();
        var sig = await signer.SignAsync(id, exp);
        var path = string.Create(CultureInfo.InvariantCulture, $"/files/{id}?exp={exp}&sig={sig}");
        return IsPublic ? _options.PublicBaseUrl!.TrimEnd('/') + path : path;
    }
}
