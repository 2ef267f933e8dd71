using ItChatBot.Host.Api;
using ItChatBot.Testing;
using OpenQA.Selenium;

namespace ItChatBot.Host.Tests;

/// <summary>
/// In a real headless Chromium, with an API key configured (so <c>/api</c> is closed to the page): a lead's KPI
/// card shows its chart inline and an export comes with a download link that works.
/// </summary>
public sealed class WebChatFilesBrowserTests : IDisposable
{
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?> { ["Api:Keys:0"] = ApiKeys.Hash("browser-files-key") });

    public WebChatFilesBrowserTests() => _app.UseKestrel(0);

    public void Dispose() => _app.Dispose();

    [Fact]
    public void A_leads_kpi_card_shows_its_chart_and_an_export_link_downloads_the_csv()
    {
        _app.StartServer();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(_app.ClientOptions.BaseAddress);
        wait.Until(d => d.FindElements(By.CssSelector("#person option")).Count > 0);
        browser.ExecuteScript("const s = document.getElementById('person'); s.value = 'carol'; s.dispatchEvent(new Event('change'));");
        browser.FindElement(By.Id("text")).SendKeys("/kpi summary team:IT" + Keys.Enter);

        var image = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card img.card-image")).FirstOrDefault());
        Assert.StartsWith($"{_app.ClientOptions.BaseAddress}files/", image!.GetAttribute("src"), StringComparison.Ordinal);

        // The picture really loaded (a broken image has no natural size).
        var width = wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "const i = document.querySelector('.msg.bot .card img.card-image'); return i.complete && i.naturalWidth > 0 ? i.naturalWidth : null;"));
        Assert.Equal(800L, width);

        browser.FindElement(By.Id("text")).SendKeys("/kpi export audit period:7d" + Keys.Enter);
        var link = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card a.card-file")).FirstOrDefault());
        Assert.Equal("Download audit_20260223-20260302.csv", link!.Text);

        var fetched = (string?)((IJavaScriptExecutor)browser).ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1];"
            + "fetch(document.querySelector('.msg.bot .card a.card-file').href)"
            + ".then(async r => done(r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.text()).split('\\r\\n')[0]))"
            + ".catch(e => done('failed ' + e));");
        Assert.Equal("200 text/csv; charset=utf-8 seq,at,actor,action,subject,data,prev_hash,hash", fetched);
        Assert.Empty(browser.FindElements(By.CssSelector("#error:not([hidden])")));
    }
}
