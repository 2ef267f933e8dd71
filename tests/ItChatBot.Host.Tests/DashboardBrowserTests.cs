using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Api;
using ItChatBot.Host.Delivery;
using ItChatBot.Testing;
using OpenQA.Selenium;

namespace ItChatBot.Host.Tests;

/// <summary>The KPI dashboard in a real headless Chromium, with an API key configured (so <c>/api</c> wants it from the page too).</summary>
public sealed class DashboardBrowserTests : IDisposable
{
    private const string Key = "dashboard-browser-key";
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?> { ["Api:Keys:0"] = ApiKeys.Hash(Key) });

    public DashboardBrowserTests() => _app.UseKestrel(0);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task With_an_api_key_set_the_dashboard_asks_for_it_then_shows_the_apis_numbers_and_its_charts()
    {
        _app.StartServer();
        var address = _app.ClientOptions.BaseAddress;
        using var http = new HttpClient { BaseAddress = address };
        // One ticket in the previous period, still open, so the backlog has a previous value to be compared with.
        await WebChatDriver.OpenTicketAsync(http, "frank", "The office printer jams on every page");
        _app.Clock.Advance(TimeSpan.FromDays(31));
        await WebChatDriver.OpenTicketAsync(http, "erin", "My laptop screen is flickering");
        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(new Uri(address, "dashboard.html"));

        wait.Until(d => d.FindElements(By.CssSelector("#key-form:not([hidden])")).FirstOrDefault());
        Assert.Contains("Send Authorization: Bearer <key>", browser.FindElement(By.Id("status")).Text, StringComparison.Ordinal);
        browser.FindElement(By.Id("key")).SendKeys(Key + Keys.Enter);
        wait.Until(d => d.FindElements(By.CssSelector(".card[data-metric='automation']")).FirstOrDefault());

        // The same question to the API (the clock is fixed, so "30d" is the same period).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/kpi/summary?period=30d");
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await http.SendAsync(request);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, summary.GetProperty("value").GetInt32());
        // Times as the chat cards write them, not the API's ISO 8601 ("2026-11-07T09:48:31+00:00").
        static string Utc(JsonElement time) => DateTimeOffset.Parse(time.GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"All teams · {Utc(summary.GetProperty("from"))} – {Utc(summary.GetProperty("to"))} UTC · 1 tickets created",
            browser.FindElement(By.Id("status")).Text);
        foreach (var metric in summary.GetProperty("metrics").EnumerateArray())
        {
            var card = browser.FindElement(By.CssSelector($".card[data-metric='{metric.GetProperty("metric").GetString()}'] .previous"));
            Assert.EndsWith($"over {metric.GetProperty("count").GetInt32()}", card.Text, StringComparison.Ordinal);
        }

        // The outcome split named as DESIGN names the outcomes, not by the API's field names.
        var automation = summary.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "automation");
        Assert.Equal(
            $"AI-resolved {automation.GetProperty("aiResolved").GetProperty("count").GetInt32()} · AI-assisted {automation.GetProperty("aiAssisted").GetProperty("count").GetInt32()} · unassisted {automation.GetProperty("unassisted").GetProperty("count").GetInt32()}",
            browser.FindElements(By.CssSelector(".card[data-metric='automation'] .previous"))[1].Text);

        var loaded = wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "const i = [...document.querySelectorAll('#charts img')]; return i.length === 4 && i.every(x => x.complete && x.naturalWidth > 0) ? i.length : null;"));
        Assert.Equal(4L, loaded);
        Assert.Empty(browser.FindElements(By.CssSelector("#key-form:not([hidden])")));

        // The second row: the rest of the metrics, each as its own API answers it over the summary's period.
        var range = $"from={Uri.EscapeDataString(summary.GetProperty("from").GetString()!)}&to={Uri.EscapeDataString(summary.GetProperty("to").GetString()!)}";
        var titles = new Dictionary<string, string>
        {
            ["volume"] = "Volume", ["frt"] = "First response", ["deflection"] = "Deflection rate", ["workflows"] = "Workflow failure rate",
            ["approvals"] = "Approval enforcement", ["overrides"] = "Override rate", ["savings"] = "Savings", ["access"] = "Access changes",
        };
        Assert.Equal(titles.Keys, browser.FindElements(By.CssSelector("#more-cards .card")).Select(c => c.GetAttribute("data-metric")));
        foreach (var (metric, title) in titles)
        {
            using var one = new HttpRequestMessage(HttpMethod.Get, $"/api/kpi/{metric}?{range}");
            one.Headers.Authorization = new("Bearer", Key);
            using var answer = await http.SendAsync(one);
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            var card = browser.FindElement(By.CssSelector($"#more-cards .card[data-metric='{metric}']"));
            Assert.Equal(title, card.FindElement(By.TagName("h2")).Text);
            Assert.EndsWith($"over {body.GetProperty("count").GetInt32()}", card.FindElement(By.CssSelector(".previous")).Text, StringComparison.Ordinal);
        }

        Assert.Equal("1", browser.FindElement(By.CssSelector("#more-cards .card[data-metric='volume'] .value")).Text.Split(' ')[0]);

        // A change says whether it is better or worse where the metric has a better side, in colour: the backlog grew
        // from 1 to 2 (worse); the volume, 1 against 1, has no better side and no verdict.
        var backlog = summary.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "backlog");
        Assert.Equal((2, 1), (backlog.GetProperty("value").GetInt32(), backlog.GetProperty("previous").GetProperty("value").GetInt32()));
        var grew = browser.FindElement(By.CssSelector(".card[data-metric='backlog'] .value .trend"));
        Assert.Equal(("↑ worse", "trend worse", "worse than the previous period"), (grew.Text, grew.GetAttribute("class"), grew.GetAttribute("title")));
        Assert.Equal("rgba(198, 40, 40, 1)", grew.GetCssValue("color"));
        var volume = browser.FindElement(By.CssSelector("#more-cards .card[data-metric='volume'] .value .trend"));
        Assert.Equal(("→", "trend"), (volume.Text, volume.GetAttribute("class")));
        Assert.Equal("0 answered by an article · 1 tickets",
            browser.FindElement(By.CssSelector("#more-cards .card[data-metric='deflection'] .detail")).Text);
        Assert.Equal("0 overdue revocations", browser.FindElement(By.CssSelector("#more-cards .card[data-metric='access'] .detail")).Text);
    }
    [Fact]
    public void The_team_picker_offers_the_configured_teams_and_shows_the_one_picked()
    {
        // Teams are configurable (DESIGN §2): here the defaults with Facilities added and HR dropped, not four names in the page.
        using var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["SupportTeams:IT:TimeZone"] = "UTC",
            ["SupportTeams:Facilities:TimeZone"] = "UTC",
            ["SupportTeams:HR:Enabled"] = "false",
        });
        app.UseKestrel(0);
        app.StartServer();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(new Uri(app.ClientOptions.BaseAddress, "dashboard.html"));
        wait.Until(d => d.FindElements(By.CssSelector(".card[data-metric='automation']")).FirstOrDefault());

        var offered = browser.FindElements(By.CssSelector("#team option")).Select(o => o.Text).ToArray();
        Assert.Equal(["All teams", "Facilities", "Finance", "IT", "Security"], offered);
        browser.ExecuteScript("document.getElementById('team').value = 'Facilities';");
        browser.FindElement(By.CssSelector("#scope button[type='submit']")).Click();
        var status = wait.Until(d => d.FindElements(By.Id("status")).FirstOrDefault(s => s.Text.StartsWith("Facilities · ", StringComparison.Ordinal)));
        Assert.EndsWith("· 0 tickets created", status!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_lists_delivery_problems_and_retries_a_failed_request_from_there()
    {
        using var app = new ItChatBotApp();
        app.UseKestrel(0);
        app.StartServer();
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        // A web chat request whose handling failed (a connector timed out), kept with its error as the router keeps one.
        var inbox = app.Get<IInbox>();
        var body = """{"person":"erin","text":"my laptop will not start","conversation":null,"thread":null,"clientMessageId":"c-1"}""";
        await inbox.TryAcceptAsync(new InboundEnvelope("web:c-1", "web", "InboundMessage", body, app.Clock.GetUtcNow()));
        await inbox.MarkProcessedAsync("web:c-1", "reference 1a2b3c4d: TimeoutException: the directory timed out");
        // And a message for a channel that is not switched on: the outbox keeps it and retries it.
        await app.Get<IOutbox>().EnqueueAsync([new OutboundMessage
        {
            Id = "m-slack", Conversation = new ConversationRef("slack", "C0QUEUE"), Card = new ItChatBot.Core.Cards.Card { Title = "IT-9 · P2 · VPN down" }, Ticket = "IT-9", CreatedAt = app.Clock.GetUtcNow(),
        }]);
        app.Get<OutboxSignal>().Notify();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(new Uri(app.ClientOptions.BaseAddress, "dashboard.html"));

        var failedRow = wait.Until(d => d.FindElements(By.CssSelector("#problems:not([hidden]) #failed-deliveries tr[data-id='web:c-1']")).FirstOrDefault());
        Assert.Contains("reference 1a2b3c4d: TimeoutException: the directory timed out", failedRow!.Text, StringComparison.Ordinal);
        Assert.Equal("Requests whose handling failed (1)", browser.FindElement(By.CssSelector("#failed-deliveries h3")).Text);
        // The dispatcher fails the message within a pass; the page shows what the API had when it loaded, so reload until then.
        var messageRow = wait.Until(d =>
        {
            if (d.FindElements(By.CssSelector("#failing-messages tr[data-id='m-slack']")).FirstOrDefault() is { } row)
            {
                return row;
            }

            d.Navigate().Refresh();
            return null;
        });
        Assert.Contains("no channel 'slack' is switched on", messageRow!.Text, StringComparison.Ordinal);
        Assert.Contains("IT-9 · P2 · VPN down", messageRow.Text, StringComparison.Ordinal);

        browser.FindElement(By.CssSelector("#failed-deliveries button[data-retry='web:c-1']")).Click();

        var status = wait.Until(d => d.FindElements(By.Id("problems-status")).FirstOrDefault(e => e.Text.Length > 0));
        Assert.Equal("web:c-1: retried; it is handled as if it had just arrived.", status!.Text);
        Assert.Empty(browser.FindElements(By.CssSelector("#failed-deliveries tr[data-id='web:c-1']")));
        var ticket = await Eventually(async () => (await app.Get<ITicketStore>().QueryAsync(new TicketQuery())).SingleOrDefault());
        Assert.Equal(("erin", "my laptop will not start"), (ticket.Requester, ticket.Subject));
        Assert.Null((await inbox.FindAsync("web:c-1"))!.Error);
    }

    [Fact]
    public async Task More_problems_than_the_page_lists_are_said_to_be_more()
    {
        using var app = new ItChatBotApp();
        app.UseKestrel(0);
        app.StartServer();
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        var inbox = app.Get<IInbox>();
        for (var n = 1; n <= 21; n++)
        {
            var body = $$"""{"person":"erin","text":"request {{n}}","conversation":null,"thread":null,"clientMessageId":"c-{{n}}"}""";
            await inbox.TryAcceptAsync(new InboundEnvelope($"web:c-{n}", "web", "InboundMessage", body, app.Clock.GetUtcNow()));
            await inbox.MarkProcessedAsync($"web:c-{n}", $"reference {n:x8}: TimeoutException: the directory timed out");
        }

        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(new Uri(app.ClientOptions.BaseAddress, "dashboard.html"));

        // Before: "(20)", as if the twenty were all.
        var heading = wait.Until(d => d.FindElements(By.CssSelector("#problems:not([hidden]) #failed-deliveries h3")).FirstOrDefault());
        Assert.Equal("Requests whose handling failed (20 shown; there are more)", heading!.Text);
        Assert.Equal(20, browser.FindElements(By.CssSelector("#failed-deliveries tr[data-id]")).Count);
        var row = browser.FindElement(By.CssSelector("#failed-deliveries tr[data-id]"));
        var envelope = await inbox.FindAsync(row.GetAttribute("data-id")!);
        Assert.Equal(envelope!.ProcessedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), row.FindElement(By.CssSelector("td:nth-child(3)")).Text);
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The retried request opened no ticket within 30 s.");
    }
}
