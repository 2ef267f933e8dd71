using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Host.Api;
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
        Assert.Equal(
            $"All teams · {summary.GetProperty("from").GetString()} – {summary.GetProperty("to").GetString()} · 1 tickets created",
            browser.FindElement(By.Id("status")).Text);
        foreach (var metric in summary.GetProperty("metrics").EnumerateArray())
        {
            var card = browser.FindElement(By.CssSelector($".card[data-metric='{metric.GetProperty("metric").GetString()}'] .previous"));
            Assert.EndsWith($"over {metric.GetProperty("count").GetInt32()}", card.Text, StringComparison.Ordinal);
        }

        var loaded = wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "const i = [...document.querySelectorAll('#charts img')]; return i.length === 4 && i.every(x => x.complete && x.naturalWidth > 0) ? i.length : null;"));
        Assert.Equal(4L, loaded);
        Assert.Empty(browser.FindElements(By.CssSelector("#key-form:not([hidden])")));
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
}
