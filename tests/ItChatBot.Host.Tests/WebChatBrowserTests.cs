using System.Net.Http.Json;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using OpenQA.Selenium;

namespace ItChatBot.Host.Tests;

/// <summary>The local web chat in a real headless Chromium against the host listening on a loopback port.</summary>
public sealed class WebChatBrowserTests : IDisposable
{
    private readonly ItChatBotApp _app = new();

    public WebChatBrowserTests() => _app.UseKestrel(0);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_person_picks_who_they_are_opens_a_ticket_and_presses_its_button()
    {
        _app.StartServer();
        var address = _app.ClientOptions.BaseAddress;
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));

        browser.Navigate().GoToUrl(address);
        wait.Until(d => d.FindElements(By.CssSelector("#person option")).Count > 0);
        browser.ExecuteScript("const s = document.getElementById('person'); s.value = 'erin'; s.dispatchEvent(new Event('change'));");
        browser.FindElement(By.Id("text")).SendKeys("My VPN drops every ten minutes" + Keys.Enter);

        // The automation may answer first with an article or "did you mean…"; the person asks for a ticket instead.
        var first = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).FirstOrDefault());
        if (!first!.Text.Contains("IT-1", StringComparison.Ordinal))
        {
            first.FindElement(By.CssSelector("button[data-action-id='kb.ticket'], button[data-action-id='intent.other']")).Click();
        }

        var card = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).FirstOrDefault(c => c.Text.Contains("IT-1:", StringComparison.Ordinal)));
        Assert.Contains("IT-1: My VPN drops every ten minutes", card!.FindElement(By.CssSelector(".card-title")).Text, StringComparison.Ordinal);
        Assert.Contains("vpn", card.Text, StringComparison.Ordinal);

        browser.ExecuteScript("window.confirm = () => true;");
        card.FindElement(By.CssSelector("button[data-action-id='ticket.withdraw']")).Click();

        wait.Until(d => d.FindElements(By.CssSelector(".msg.bot")).Any(m => m.Text.Contains("Withdrawn", StringComparison.Ordinal)));
        Assert.Equal(TicketStatus.Resolved, (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status);
        Assert.Empty(browser.FindElements(By.CssSelector("#error:not([hidden])")));
    }

    [Fact]
    public async Task The_requester_presses_that_fixed_it_on_the_agents_reply_and_the_request_is_resolved()
    {
        _app.StartServer();
        var client = _app.CreateClient();
        var opened = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it my laptop screen is flickering", clientMessageId = "c1" });
        opened.EnsureSuccessStatusCode();
        var ticket = Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" }));
        var reply = await client.PostAsJsonAsync("/chat/send", new { person = "alice", text = "Try the other cable, please.", conversation = "queue-it", thread = ItChatBot.Core.Queues.QueueIds.WebThread(ticket.Key, "IT") });
        reply.EnsureSuccessStatusCode();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));

        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=erin&conversation=dm-erin"));
        var answer = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).FirstOrDefault(c => c.Text.Contains("Try the other cable", StringComparison.Ordinal)));
        answer!.FindElement(By.CssSelector($"button[data-action-id='{TicketActions.Fixed}']")).Click();

        wait.Until(d => d.FindElements(By.CssSelector(".msg.bot")).Any(m => m.Text.Contains("thanks for confirming it's fixed", StringComparison.Ordinal)));
        Assert.Equal(TicketStatus.Resolved, (await _app.Get<ITicketStore>().GetAsync(ticket.Key))!.Status);
        Assert.Empty(browser.FindElements(By.CssSelector("#error:not([hidden])")));
    }

    [Fact]
    public async Task An_answer_typed_outside_the_thread_reaches_the_ticket_and_the_button_opens_it_as_a_new_request()
    {
        _app.StartServer();
        var client = _app.CreateClient();
        (await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it my laptop battery drains in an hour", clientMessageId = "c1" })).EnsureSuccessStatusCode();
        var ticket = Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" }));
        (await client.PostAsJsonAsync("/chat/send", new { person = "alice", text = "Which laptop model is it?", conversation = "queue-it", thread = ItChatBot.Core.Queues.QueueIds.WebThread(ticket.Key, "IT") })).EnsureSuccessStatusCode();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));

        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=erin&conversation=dm-erin"));
        wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).FirstOrDefault(c => c.Text.Contains("Which laptop model is it?", StringComparison.Ordinal)));
        browser.FindElement(By.Id("text")).SendKeys("the projector in room 2 does not turn on" + Keys.Enter);

        var notice = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).FirstOrDefault(c => c.Text.Contains($"Added to {ticket.Key}", StringComparison.Ordinal)));
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" }));
        notice!.FindElement(By.CssSelector($"button[data-action-id='{ItChatBot.Core.Intake.AwaitedAnswerActionHandler.OpenNew}']")).Click();

        wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .card")).Any(c => c.Text.Contains(": the projector in room 2 does not turn on", StringComparison.Ordinal)));
        var tickets = await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Requester = "erin" });
        // Both were opened at the same instant of the test's clock, so the store's order (by opening) cannot tell them apart.
        Assert.Equal(["my laptop battery drains in an hour", "the projector in room 2 does not turn on"], tickets.Select(t => t.Subject).Order());
        Assert.Empty(browser.FindElements(By.CssSelector("#error:not([hidden])")));
    }

    [Fact]
    public async Task An_approver_replies_under_the_approval_card_and_the_requester_has_the_question()
    {
        _app.StartServer();
        var client = _app.CreateClient();
        (await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "I need access to Figma for 3 days", clientMessageId = "c1" })).EnsureSuccessStatusCode();
        var ticket = Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Equal(TicketStatus.PendingApproval, ticket.Status);
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));

        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=dave&conversation=dm-dave"));
        var card = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot")).FirstOrDefault(m => m.Text.Contains($"Approval needed: {ticket.Key}", StringComparison.Ordinal)));
        card!.FindElement(By.CssSelector(".reply")).Click();
        browser.FindElement(By.Id("text")).SendKeys("which project is Figma for?" + Keys.Enter);

        wait.Until(d => d.FindElements(By.CssSelector(".msg.bot")).Any(m => m.Text.Contains($"Erin Employee has your message in {ticket.Key}'s thread", StringComparison.Ordinal)));
        var erin = await client.GetFromJsonAsync<ItChatBot.Host.WebChat.ChatResponse>("/chat/messages?conversation=dm-erin&person=erin");
        Assert.Single(erin!.Messages, m => m.Title == $"Dave Manager asks about {ticket.Key}" && m.Text.Contains("which project is Figma for?", StringComparison.Ordinal));
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery())); // nothing opened for Dave
        Assert.Empty(browser.FindElements(By.CssSelector("#error:not([hidden])")));
    }

    [Fact]
    public void The_address_says_who_and_where_so_a_reload_or_a_link_opens_the_same_view()
    {
        _app.StartServer();
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));
        string? Picked(string id) => (string?)browser.ExecuteScript($"return document.getElementById('{id}').value;");

        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=alice&conversation=queue-it"));
        wait.Until(d => d.FindElements(By.CssSelector("#conversation option")).FirstOrDefault());
        Assert.Equal(("alice", "queue-it"), (Picked("person"), Picked("conversation")));

        // Before: a reload always opened the first person's direct messages.
        browser.ExecuteScript("const s = document.getElementById('person'); s.value = 'erin'; s.dispatchEvent(new Event('change'));");
        Assert.EndsWith("/index.html?person=erin&conversation=dm-erin", browser.Url, StringComparison.Ordinal);
        browser.Navigate().Refresh();
        wait.Until(d => d.FindElements(By.CssSelector("#conversation option")).FirstOrDefault());
        Assert.Equal(("erin", "dm-erin"), (Picked("person"), Picked("conversation")));

        // Someone the directory does not know, or a conversation that is not theirs, is left out.
        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=erin&conversation=queue-it"));
        wait.Until(d => d.FindElements(By.CssSelector("#conversation option")).FirstOrDefault());
        Assert.Equal(("erin", "dm-erin"), (Picked("person"), Picked("conversation")));
        browser.Navigate().GoToUrl(new Uri(_app.ClientOptions.BaseAddress, "index.html?person=nobody"));
        wait.Until(d => d.FindElements(By.CssSelector("#conversation option")).FirstOrDefault());
        Assert.Equal((string?)browser.ExecuteScript("return document.querySelector('#person option').value;"), Picked("person"));
    }

    [Fact]
    public async Task A_display_name_or_thread_with_markup_shows_as_text_and_adds_nothing_to_the_page()
    {
        _app.StartServer();
        // A directory synced from Okta or Graph holds whatever people typed into their profile.
        const string name = "Mallory <img id=\"pwn-name\" src=x> \"Sec\" & co";
        await _app.Get<IDirectory>().UpsertAsync(new Person { Id = "mallory", DisplayName = name, Email = "mallory@example.com" });
        using var browser = Browser.Start();
        var wait = new Waiter(browser, TimeSpan.FromSeconds(20));

        browser.Navigate().GoToUrl(_app.ClientOptions.BaseAddress);
        wait.Until(d => d.FindElements(By.CssSelector("#person option[value='mallory']")).FirstOrDefault());
        Assert.Equal($"{name} — employee", (string?)browser.ExecuteScript("return document.querySelector(\"#person option[value='mallory']\").textContent;"));

        // A thread id is whatever the client sent; the page must not let it out of its attribute.
        const string thread = "t\"><img id=\"pwn-thread\" src=x>";
        browser.ExecuteScript("const s = document.getElementById('person'); s.value = 'mallory'; s.dispatchEvent(new Event('change'));");
        var sent = (string?)((IJavaScriptExecutor)browser).ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1];"
            + "fetch('/chat/send', { method: 'POST', headers: { 'Content-Type': 'application/json' },"
            + " body: JSON.stringify({ person: 'mallory', text: '/it help', conversation: 'dm-mallory', thread: arguments[0] }) })"
            + ".then(r => done('' + r.status)).catch(e => done('failed ' + e));",
            thread);
        Assert.Equal("200", sent);

        var reply = wait.Until(d => d.FindElements(By.CssSelector(".msg.bot .reply")).FirstOrDefault());
        Assert.Equal(thread, reply!.GetDomAttribute("data-thread"));
        Assert.Empty(browser.FindElements(By.Id("pwn-name")));
        Assert.Empty(browser.FindElements(By.Id("pwn-thread")));
        Assert.Empty(browser.FindElements(By.CssSelector("#person img, #messages .meta img")));
    }
}
