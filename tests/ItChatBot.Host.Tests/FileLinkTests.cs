using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Api;
using ItChatBot.Host.Files;
using ItChatBot.Host.WebChat;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Tests;

/// <summary>
/// Signed, expiring download links served by the real host: a good link downloads without credentials (and an
/// export's download is audited); a changed, incomplete or expired one is refused with the reason.
/// </summary>
public sealed partial class FileLinkTests : IDisposable
{
    private const string PublicBase = "https://desk.example.com";
    private const string Key = "file-links-test-key";
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("key,team\r\nIT-1,IT\r\n");

    private readonly ItChatBotApp _app = new(new Dictionary<string, string?>
    {
        ["Host:PublicBaseUrl"] = PublicBase + "/",
        ["Api:Keys:0"] = ApiKeys.Hash(Key),
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_leads_export_in_the_web_chat_carries_a_link_that_downloads_without_credentials_and_each_download_is_audited()
    {
        await _app.Get<IAuditLog>().AppendAsync(AuditRecord.New(_app.Clock.GetUtcNow().AddDays(-1), "dave", AuditActions.ApprovalDecided, "IT-9"));
        var response = await _app.CreateClient().PostAsJsonAsync(new Uri("/chat/send", UriKind.Relative), new { person = "carol", text = "/kpi export audit period:7d" });
        var reply = (await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages.Single(m => m.Title == "Export: audit");

        var href = WebUtility.HtmlDecode(FileHref().Match(reply.Html).Groups["href"].Value);
        Assert.StartsWith($"{PublicBase}/files/", href, StringComparison.Ordinal);
        var posted = (await _app.Get<IOutbox>().ListConversationAsync("web", "dm-carol", 0)).Select(e => e.Message).Single(m => m.File is not null);
        Assert.Equal(href, posted.File!.Url);

        // No Authorization header: the link is the credential.
        var download = await _app.CreateClient().GetAsync(PathOf(href));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(posted.File.Name, download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(posted.File.Content, await download.Content.ReadAsByteArrayAsync());
        Assert.Contains("dave,approval.decided,IT-9", Encoding.UTF8.GetString(posted.File.Content), StringComparison.Ordinal);

        var audit = await _app.Get<IAuditLog>().ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var downloaded = Assert.Single(audit, e => e.Action == FileEndpoints.DownloadAction);
        Assert.Equal(posted.File.Name, downloaded.Subject);
        Assert.Equal("audit", downloaded.Get("what"));
        Assert.Equal("carol", downloaded.Get("exportedBy"));
        Assert.Equal("link", downloaded.Get("via"));
        Assert.StartsWith("link:", downloaded.Actor, StringComparison.Ordinal);
        Assert.True((await _app.Get<IAuditLog>().VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_link_is_signed_for_the_configured_lifetime_and_works_until_it_ends()
    {
        var url = await PublishAsync();
        var exp = long.Parse(Regex.Match(url, "exp=(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(_app.Clock.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), exp);

        _app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        var lastSecond = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, lastSecond.StatusCode);
        Assert.Equal(Csv, await lastSecond.Content.ReadAsByteArrayAsync());

        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("The link expired at 2026-03-09 09:00 UTC", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sig", "The link's signature does not match")]
    [InlineData("exp", "The link's signature does not match")]
    [InlineData("id", "The link's signature does not match")]
    [InlineData("no-sig", "The link is incomplete: it needs the exp and sig parameters")]
    [InlineData("no-exp", "The link is incomplete: it needs the exp and sig parameters")]
    [InlineData("word-exp", "The link's exp 'soon' is not a time")]
    public async Task A_changed_or_incomplete_link_is_refused_with_the_reason_and_serves_nothing(string change, string reason)
    {
        var url = await PublishAsync();
        var other = await PublishAsync();
        var tampered = change switch
        {
            "sig" => Regex.Replace(url, "sig=(.)", m => "sig=" + (m.Groups[1].Value == "A" ? "B" : "A")),
            "exp" => Regex.Replace(url, "exp=(\\d+)", m => "exp=" + (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 86_400)),
            "id" => Regex.Replace(url, "/files/[0-9a-f]+", Regex.Match(other, "/files/[0-9a-f]+").Value),
            "no-sig" => Regex.Replace(url, "&sig=[^&]+", ""),
            "no-exp" => Regex.Replace(url, "exp=\\d+&", ""),
            "word-exp" => Regex.Replace(url, "exp=\\d+", "exp=soon"),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Assert.NotEqual(url, tampered);

        var response = await GetAsync(tampered);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.DoesNotContain("IT-1", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task A_good_link_to_a_file_no_longer_kept_answers_404_and_old_files_are_swept()
    {
        var first = await PublishAsync();
        var database = _app.Get<LiteDbStore>().Database;
        using (var other = new MemoryStream([1, 2, 3]))
        {
            // Another part's file in the same storage, without an expiry: never swept.
            database.FileStorage.Upload("other/keep", "keep.bin", other);
        }

        _app.Clock.Advance(TimeSpan.FromDays(8));
        await PublishAsync();

        Assert.Equal(1, await _app.Get<IFileStore>().CountAsync());
        Assert.NotNull(database.FileStorage.FindById("other/keep"));
        var second = await PublishAsync();
        var id = Regex.Match(second, "/files/([0-9a-f]+)").Groups[1].Value;
        _app.Get<LiteDbStore>().Database.FileStorage.Delete("link/" + id);

        var gone = await GetAsync(second);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("no longer kept", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(first)).StatusCode);
    }

    [Fact]
    public async Task Without_a_public_base_url_links_are_host_relative_and_the_lifetime_follows_the_setting()
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?> { ["Host:FileLinks:Lifetime"] = "01:00:00" });
        var links = app.Get<FileLinks>();

        var url = await links.PublishAsync("chart.png", "image/png", [0x89, 0x50], null, default);

        Assert.False(links.IsPublic);
        Assert.Matches($"^/files/[0-9a-f]{{32}}\\?exp={app.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}&sig=[A-Za-z0-9_-]{{43}}$", url);
        var image = await app.CreateClient().GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task The_signing_key_is_made_once_per_data_file_and_kept_unless_one_is_configured()
    {
        using var folder = new TempFolder();
        string first, again, elsewhere, configured;
        using (var store = new LiteDbStore(folder.File("a.db")))
        {
            first = await new FileLinkSigner(new LiteDbSecretStore(store), Options.Create(new FileLinkOptions())).SignAsync("f1", 1_800_000_000);
        }

        using (var store = new LiteDbStore(folder.File("a.db")))
        {
            again = await new FileLinkSigner(new LiteDbSecretStore(store), Options.Create(new FileLinkOptions())).SignAsync("f1", 1_800_000_000);
            configured = await new FileLinkSigner(new LiteDbSecretStore(store), Options.Create(new FileLinkOptions { SigningKey = new string('k', 32) })).SignAsync("f1", 1_800_000_000);
        }

        using (var store = new LiteDbStore(folder.File("b.db")))
        {
            elsewhere = await new FileLinkSigner(new LiteDbSecretStore(store), Options.Create(new FileLinkOptions())).SignAsync("f1", 1_800_000_000);
        }

        Assert.Equal(first, again);
        Assert.NotEqual(first, elsewhere);
        Assert.NotEqual(first, configured);
        Assert.Equal(configured, await new FileLinkSigner(null!, Options.Create(new FileLinkOptions { SigningKey = new string('k', 32) })).SignAsync("f1", 1_800_000_000));
    }

    [Theory]
    [InlineData("Host:PublicBaseUrl", "desk.example.com", "Host:PublicBaseUrl must be an absolute http(s) address")]
    [InlineData("Host:FileLinks:Lifetime", "00:00:00", "Host:FileLinks:Lifetime must be more than zero")]
    [InlineData("Host:FileLinks:Lifetime", "120.00:00:00", "at most 90 days")]
    [InlineData("Host:FileLinks:SigningKey", "too-short", "Host:FileLinks:SigningKey must be at least 32 characters")]
    public void Bad_link_settings_stop_the_host_at_start_with_the_reason(string setting, string value, string reason)
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?> { [setting] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_settings_bind_to_valid_link_settings()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.sample.json")).Build();

        var options = configuration.GetSection(FileLinkOptions.Section).Get<FileLinkOptions>()!;
        options.PublicBaseUrl = configuration["Host:PublicBaseUrl"];

        Assert.Null(options.Problem());
        Assert.Equal(TimeSpan.FromDays(7), options.Lifetime);
        Assert.Equal("", options.PublicBaseUrl);
        Assert.Equal("", options.SigningKey);
    }

    private Task<string> PublishAsync() => _app.Get<FileLinks>().PublishAsync("tickets.csv", "text/csv", Csv, null, default);

    private Task<HttpResponseMessage> GetAsync(string url) => _app.CreateClient().GetAsync(PathOf(url));

    private static Uri PathOf(string url) =>
        new(url.StartsWith(PublicBase, StringComparison.Ordinal) ? url[PublicBase.Length..] : url, UriKind.Relative);

    [GeneratedRegex("<a class=\"card-file\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex FileHref();
}
