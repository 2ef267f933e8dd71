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
/// </summary>
public sealed partial class KpiChartDeliveryTests : IAsyncLifetime, IDisposable
{
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?> { ["Api:Keys:0"] = ApiKeys.Hash("kpi-chart-key") });
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        _app.Clock.SetUtcNow(KpiHistory.Now);
        await _app.EventLog.AppendAsync(KpiHistory.All());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("/kpi team:IT period:2026-02-01..2026-03-01", "backlog chart")]
    [InlineData("/kpi mttr team:IT period:2026-02-01..2026-03-01", "ttr chart")]
    [InlineData("/kpi sla period:2026-02-01..2026-03-01", "sla chart")]
    [InlineData("/kpi automation period:2026-02-01..2026-03-01", "ai-rate chart")]
    public async Task The_card_shows_its_chart_through_a_signed_link_without_the_api_key(string command, string alt)
    {
        var response = await _client.PostAsJsonAsync("/chat/send", new { person = "carol", text = command });
        var card = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);

        var image = Image().Match(card.Html);
        Assert.True(image.Success, card.Html);
        Assert.Equal(alt, image.Groups["alt"].Value);
        var png = await _client.GetAsync(new Uri(WebUtility.HtmlDecode(image.Groups["src"].Value), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], bytes.Take(4));

        var posted = (await _app.Get<IOutbox>().GetMessageAsync(card.Id))!.Message;
        Assert.Equal(bytes, posted.Card.Image!.Content);

        var api = await _client.GetAsync(new Uri("/api/kpi/charts/backlog.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_metric_without_a_chart_has_no_image()
    {
        var response = await _client.PostAsJsonAsync("/chat/send", new { person = "carol", text = "/kpi fcr team:IT period:2026-02-01..2026-03-01" });
        var card = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);

        Assert.Contains("First contact resolution", card.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", card.Html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<img class=\"card-image\" src=\"(?<src>[^\"]+)\" alt=\"(?<alt>[^\"]+)\"")]
    private static partial Regex Image();
}
