using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Api;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>
/// A KPI card's chart travels with it: the PNG is in the outbox message (for Slack's upload and Teams' inline
/// image) and behind a signed link the web chat shows, with no API key, while the chart API itself needs one.
/// <c>/kpi csv</c> posts its CSV the same way.
/// </summary>
public sealed partial class KpiFileDeliveryTests() : KpiHostTests(new Dictionary<string, string?> { ["Api:Keys:0"] = ApiKeys.Hash("kpi-chart-key") })
{
    [Theory]
    [InlineData("/kpi team:IT period:2026-02-01..2026-03-01", "backlog chart")]
    [InlineData("/kpi mttr team:IT period:2026-02-01..2026-03-01", "ttr chart")]
    [InlineData("/kpi sla period:2026-02-01..2026-03-01", "sla chart")]
    [InlineData("/kpi automation period:2026-02-01..2026-03-01", "ai-rate chart")]
    public async Task The_card_shows_its_chart_through_a_signed_link_without_the_api_key(string command, string alt)
    {
        var response = await Client.PostAsJsonAsync("/chat/send", new { person = "carol", text = command });
        var card = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);

        var image = Image().Match(card.Html);
        Assert.True(image.Success, card.Html);
        Assert.Equal(alt, image.Groups["alt"].Value);
        var png = await Client.GetAsync(new Uri(WebUtility.HtmlDecode(image.Groups["src"].Value), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], bytes.Take(4));

        var posted = (await App.Get<IOutbox>().GetMessageAsync(card.Id))!.Message;
        Assert.Equal(bytes, posted.Card.Image!.Content);

        var api = await Client.GetAsync(new Uri("/api/kpi/charts/backlog.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_metric_without_a_chart_has_no_image()
    {
        var response = await Client.PostAsJsonAsync("/chat/send", new { person = "carol", text = "/kpi fcr team:IT period:2026-02-01..2026-03-01" });
        var card = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);

        Assert.Contains("First contact resolution", card.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", card.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leads_tickets_csv_is_posted_with_a_link_that_serves_what_the_api_exports()
    {
        var card = await SendAsync("carol", "/kpi csv tickets team:IT period:2026-02-01..2026-03-01");

        Assert.False(card.Ephemeral);
        Assert.Equal("Tickets CSV", card.Title);
        Assert.Contains("6 rows", card.Text, StringComparison.Ordinal);
        var href = WebUtility.HtmlDecode(Link().Match(card.Html).Groups["href"].Value);
        Assert.StartsWith("/files/", href, StringComparison.Ordinal);
        var download = await Client.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("tickets_it_20260201-20260301.csv", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);

        using var keyed = App.CreateClient();
        keyed.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "kpi-chart-key");
        var api = await keyed.GetStringAsync(new Uri("/api/kpi/export/tickets?team=IT&from=2026-02-01&to=2026-03-01", UriKind.Relative));
        Assert.Equal(api, await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_series_csv_is_posted_as_a_file_named_for_the_metric()
    {
        var card = await SendAsync("carol", "/kpi csv series volume team:IT period:2026-02-01..2026-03-01");

        var posted = (await App.Get<IOutbox>().GetMessageAsync(card.Id))!.Message;
        Assert.Equal("volume-by-week_it_20260201-20260301.csv", posted.File!.Name);
        Assert.StartsWith("\uFEFFmetric,team,from,to,value,count\r\nvolume,IT,2026-02-01T00:00:00Z,2026-02-08T00:00:00Z,5,5", System.Text.Encoding.UTF8.GetString(posted.File.Content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("carol", "/kpi csv", "Say what to export")]
    [InlineData("carol", "/kpi csv series team:IT", "Say what to export")]
    [InlineData("erin", "/kpi csv tickets", "for team leads and admins")]
    public async Task A_bad_or_unauthorized_csv_request_is_answered_privately_and_keeps_no_file(string person, string text, string reason)
    {
        var card = await SendAsync(person, text);

        Assert.True(card.Ephemeral);
        Assert.Contains(reason, card.Text, StringComparison.Ordinal);
        Assert.Equal(0, await App.Get<ItChatBot.Host.Files.IFileStore>().CountAsync());
    }

    private async Task<ChatMessage> SendAsync(string person, string text)
    {
        var response = await Client.PostAsJsonAsync("/chat/send", new { person, text });
        return Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
    }

    [GeneratedRegex("<a class=\"card-file\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex Link();

    [GeneratedRegex("<img class=\"card-image\" src=\"(?<src>[^\"]+)\" alt=\"(?<alt>[^\"]+)\"")]
    private static partial Regex Image();
}
