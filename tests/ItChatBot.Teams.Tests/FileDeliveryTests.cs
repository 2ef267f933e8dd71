using System.Net;
using System.Text.Json.Nodes;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Files;
using ItChatBot.Teams.Cards;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// Exports and charts reach a Teams user through the local stand-in connector: a CSV as a signed download link
/// (an Action.OpenUrl) that the host serves without credentials, a chart as an Image element Teams can fetch.
/// </summary>
public sealed class FileDeliveryTests : IDisposable
{
    private const string PublicBase = "https://desk.example.com";
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public FileDeliveryTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework, new Dictionary<string, string?> { ["Host:PublicBaseUrl"] = PublicBase });
    }

    public void Dispose()
    {
        _app.Dispose();
        _botFramework.Dispose();
    }

    [Fact]
    public async Task A_leads_export_arrives_as_a_download_link_that_serves_the_csv_and_audits_the_download()
    {
        await MakeLeadAsync();

        await SayAsync("kpi export audit period:7d");

        var activity = await ActivityAsync(a => a.ToJsonString().Contains("Export: audit", StringComparison.Ordinal), "the export card");
        var card = Card(activity);
        var open = Assert.Single(card["actions"]!.AsArray());
        Assert.Equal("Action.OpenUrl", (string?)open!["type"]);
        var url = (string)open["url"]!;
        Assert.StartsWith($"{PublicBase}/files/", url, StringComparison.Ordinal);
        Assert.Equal("Download audit_20260223-20260302.csv", (string?)open["title"]);
        Assert.Contains($"({url})", (string?)activity["text"], StringComparison.Ordinal);

        var download = await _app.CreateClient().GetAsync(new Uri(url[PublicBase.Length..], UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (download.Content.Headers.ContentType?.MediaType, download.Content.Headers.ContentType?.CharSet));
        Assert.Equal([0xEF, 0xBB, 0xBF], (await download.Content.ReadAsByteArrayAsync()).Take(3));
        Assert.StartsWith("seq,at,actor,action,subject", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await _app.Get<IAuditLog>().ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal("tina", Assert.Single(audit, e => e.Action == FileEndpoints.DownloadAction).Get("exportedBy"));
    }

    [Fact]
    public async Task A_kpi_card_carries_its_chart_as_an_image_teams_fetches_from_the_signed_link()
    {
        await MakeLeadAsync();

        await SayAsync("kpi summary team:IT");

        var activity = await ActivityAsync(a => a.ToJsonString().Contains("KPI summary", StringComparison.Ordinal), "the summary card");
        var image = Assert.Single(Card(activity)["body"]!.AsArray(), e => (string?)e!["type"] == "Image")!;
        var url = (string)image["url"]!;
        Assert.StartsWith($"{PublicBase}/files/", url, StringComparison.Ordinal);
        Assert.Equal("backlog chart", (string?)image["altText"]);
        var png = await _app.CreateClient().GetAsync(new Uri(url[PublicBase.Length..], UriKind.Relative));
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await png.Content.ReadAsByteArrayAsync()).Take(4));

        // The activity stays well under Teams' 28 KB: the picture is fetched, not carried.
        Assert.True(activity.ToJsonString().Length < 28 * 1024);
    }

    [Fact]
    public async Task Without_a_public_address_a_real_chart_is_too_big_to_carry_and_the_card_says_what_to_set()
    {
        using var app = new TeamsApp(_botFramework);
        await app.Get<IDirectory>().UpsertAsync(Lead());

        var response = await app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, "kpi summary team:IT").Json(), app.ValidToken(_key, _botFramework.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var activity = await ActivityAsync(a => a.ToJsonString().Contains("KPI summary", StringComparison.Ordinal), "the summary card");
        var posted = (await app.Get<IOutbox>().ListConversationAsync(Channels.Teams, "a:personal-1", 0)).Single(e => e.Message.Card.Image is not null).Message;
        Assert.True(posted.Card.Image!.Content!.Length > 10_000, $"the chart is {posted.Card.Image.Content.Length} bytes");
        Assert.DoesNotContain(Card(activity)["body"]!.AsArray(), e => (string?)e!["type"] == "Image");
        Assert.Contains("backlog chart: Teams can show it once Host:PublicBaseUrl is set", activity.ToJsonString(), StringComparison.Ordinal);
        Assert.True(activity.ToJsonString().Length < 28 * 1024);
    }

    [Fact]
    public void The_download_is_the_only_link_in_the_message_text()
    {
        var message = new OutboundMessage
        {
            Id = "m-1",
            Conversation = new ConversationRef(Channels.Teams, "a:personal-1"),
            Card = new Card { Title = "Export: [Reset your password](https://evil.example)" },
            File = new OutboundFile("a](https:__evil.example).csv", "text/csv", "a\r\n"u8.ToArray()) { Url = "https://bot.example.com/files/abc?exp=1&sig=x" },
            CreatedAt = DateTimeOffset.UnixEpoch,
        };

        var text = (string?)Delivery.TeamsChannelSender.ToActivity(message)["text"];

        Assert.Equal(@"Export: \[Reset your password\]\(https://evil.example): [a\]\(https:\_\_evil.example).csv](https://bot.example.com/files/abc?exp=1&sig=x)", text);
    }

    [Fact]
    public async Task Without_a_public_address_a_file_is_named_with_where_to_get_it()
    {
        var conversation = await StartConversationAsync();
        var message = new OutboundMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            Conversation = new ConversationRef(Channels.Teams, conversation),
            Card = new Card { Title = "Export: access" },
            File = new OutboundFile("access.csv", "text/csv", "a,b\r\n"u8.ToArray()) { Url = "/files/abc?exp=1&sig=x" },
            CreatedAt = _app.Clock.GetUtcNow(),
        };

        await _app.Get<IOutbox>().EnqueueAsync([message]);
        _app.Get<OutboxSignal>().Notify();

        var activity = await ActivityAsync(a => a.ToJsonString().Contains("Export: access", StringComparison.Ordinal), "the export card");
        Assert.Null(Card(activity)["actions"]);
        Assert.Contains("set Host:PublicBaseUrl", (string?)activity["text"], StringComparison.Ordinal);
        Assert.Contains("access.csv", (string?)activity["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_picture_without_a_fetchable_link_is_carried_inline_and_a_large_one_is_described()
    {
        var small = new byte[4_000];
        small[0] = 0x89;
        var large = new byte[30_000];

        var inline = AdaptiveCardRenderer.Render(new Card { Title = "SLA", Image = new CardImage("/files/1?exp=1&sig=x", "sla chart") { Content = small } });
        var described = AdaptiveCardRenderer.Render(new Card { Title = "SLA", Image = new CardImage("/files/1?exp=1&sig=x", "sla chart") { Content = large } });

        var image = Assert.Single(inline["body"]!.AsArray(), e => (string?)e!["type"] == "Image")!;
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(small), (string?)image["url"]);
        Assert.True(inline.ToJsonString().Length <= AdaptiveCardRenderer.MaxInlineCardLength);
        Assert.DoesNotContain(described["body"]!.AsArray(), e => (string?)e!["type"] == "Image");
        Assert.Contains("sla chart: Teams can show it once Host:PublicBaseUrl is set", described.ToJsonString(), StringComparison.Ordinal);
        Assert.True(described.ToJsonString().Length < 2_000);
    }

    [Fact]
    public void A_picture_that_fits_alone_but_not_beside_a_long_card_is_described()
    {
        var picture = new byte[15_000];
        var table = new CardTable(["metric", "value"], [.. Enumerable.Range(0, 60).Select(i => (IReadOnlyList<string>)[$"metric {i}", $"{i} h"])]);

        var alone = AdaptiveCardRenderer.Render(new Card { Title = "t", Image = new CardImage("/x.png", "chart") { Content = picture } });
        var beside = AdaptiveCardRenderer.Render(new Card { Title = "t", Table = table, Image = new CardImage("/x.png", "chart") { Content = picture } });

        Assert.Contains(alone["body"]!.AsArray(), e => (string?)e!["type"] == "Image");
        Assert.DoesNotContain(beside["body"]!.AsArray(), e => (string?)e!["type"] == "Image");
        Assert.True(beside.ToJsonString().Length <= AdaptiveCardRenderer.MaxInlineCardLength);
    }

    private async Task MakeLeadAsync() => await _app.Get<IDirectory>().UpsertAsync(Lead());

    private static Person Lead() => new()
    {
        Id = "tina",
        DisplayName = "Tina Lead",
        Email = "tina@example.com",
        Teams = ["IT"],
        Roles = [Roles.Employee, Roles.Agent, Roles.Lead],
        PlatformIds = { [Channels.Teams] = TestActivities.UserAad },
    };

    private async Task SayAsync(string text)
    {
        var response = await _app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, text).Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Says something harmless first, so the host knows the personal conversation.</summary>
    private async Task<string> StartConversationAsync()
    {
        await SayAsync("it help");
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count >= 1, "the help answer");
        return "a:personal-1";
    }

    private async Task<JsonObject> ActivityAsync(Func<JsonObject, bool> match, string what) =>
        await Eventually.WaitAsync(
            () => _botFramework.ConnectorCalls()
                .Select(c => JsonNode.Parse(c.RequestMessage.Body!)!.AsObject())
                .FirstOrDefault(match),
            what,
            30);

    private static JsonObject Card(JsonObject activity) => activity["attachments"]![0]!["content"]!.AsObject();
}
