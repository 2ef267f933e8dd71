using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Delivery;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Host.Tests;

/// <summary>
/// A message whose handling fails in a way nobody foresaw: the sender is told, with a reference, and the inbox keeps the
/// delivery with the failure recorded under that reference, so it is told apart from one that was handled.
/// </summary>
public sealed class HandlerFailureTests
{
    [Fact]
    public async Task A_failed_handling_is_recorded_with_the_delivery_under_the_reference_the_sender_is_given()
    {
        using var app = new FailingApp();
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });

        var reply = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
        var reference = System.Text.RegularExpressions.Regex.Match(reply.Text, @"reference ([0-9a-f]{8})").Groups[1].Value;
        Assert.NotEmpty(reference);
        Assert.Contains("this was not done", reply.Text, StringComparison.Ordinal);
        var stored = await app.Get<IInbox>().FindAsync("web:c-1");
        Assert.NotNull(stored?.ProcessedAt);
        Assert.Equal($"reference {reference}: InvalidOperationException: the directory timed out", stored.Error);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/inbox/failed");
        var delivery = Assert.Single(listed.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("web:c-1", stored.Error), (delivery.GetProperty("platformId").GetString(), delivery.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task The_failed_list_refuses_a_max_it_cannot_use_naming_the_right_form()
    {
        using var app = new ItChatBotApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/api/inbox/failed?max=0", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("max must be a whole number from 1 to 1000 (got '0'): GET /api/inbox/failed?max=100", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handled_message_is_recorded_without_an_error()
    {
        using var app = new ItChatBotApp();
        using var client = app.CreateClient();

        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it help", clientMessageId = "c-2" });

        var stored = await app.Get<IInbox>().FindAsync("web:c-2");
        Assert.NotNull(stored?.ProcessedAt);
        Assert.Null(stored.Error);
    }

    [Fact]
    public async Task A_failed_message_retried_once_its_cause_is_fixed_opens_its_ticket_and_its_card_reaches_the_conversation()
    {
        using var app = new FailingApp();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });

        // Still failing: retried, it fails again under a new reference and is listed again.
        var first = await client.PostAsync(new Uri("/api/inbox/web:c-1/retry", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, first.StatusCode);
        var again = await Until(app, async inbox => await inbox.FindAsync("web:c-1") is { ProcessedAt: not null } e ? e : null);
        Assert.StartsWith("reference ", again.Error, StringComparison.Ordinal);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/inbox/failed")).GetProperty("deliveries").EnumerateArray());

        app.Get<FailingHandler>().Fixed = true;
        var second = await client.PostAsync(new Uri("/api/inbox/web:c-1/retry", UriKind.Relative), null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetBoolean());
        var handled = await Until(app, async inbox => await inbox.FindAsync("web:c-1") is { ProcessedAt: not null } e ? e : null);
        Assert.Null(handled.Error);
        var ticket = Assert.Single(await app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Equal("erin", ticket.Requester);
        var messages = await client.GetFromJsonAsync<ChatResponse>("/chat/messages?conversation=dm-erin&person=erin&after=0");
        Assert.Contains(messages!.Messages, m => m.Ticket == ticket.Key);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/inbox/failed")).GetProperty("deliveries").EnumerateArray());

        // Handled now: a further retry is refused and changes nothing.
        var third = await client.PostAsync(new Uri("/api/inbox/web:c-1/retry", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, third.StatusCode);
        Assert.Contains("was handled without an error", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(handled, await app.Get<IInbox>().FindAsync("web:c-1"));
    }

    [Fact]
    public async Task A_retry_of_a_delivery_that_is_not_there_or_still_waiting_is_refused_naming_why()
    {
        using var app = new ItChatBotApp();
        using var client = app.CreateClient();
        var inbox = app.Get<IInbox>();
        // Stored after the start-up sweep and queued nowhere, it stays pending.
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        await inbox.TryAcceptAsync(new InboundEnvelope("parked:1", "parked", "kind", "{}", app.Clock.GetUtcNow()));
        var parked = await inbox.FindAsync("parked:1");

        var unknown = await client.PostAsync(new Uri("/api/inbox/web:nope/retry", UriKind.Relative), null);
        var waiting = await client.PostAsync(new Uri("/api/inbox/parked:1/retry", UriKind.Relative), null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No delivery 'web:nope'. GET /api/inbox/failed lists", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, waiting.StatusCode);
        Assert.Contains("'parked:1' is waiting to be handled already", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await inbox.FindAsync("web:nope"));
        Assert.Equal(parked, await inbox.FindAsync("parked:1"));
        Assert.Equal(["parked:1"], (await inbox.PendingAsync(10)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task Every_delivery_that_failed_since_a_time_is_retried_at_once_and_none_from_before()
    {
        using var app = new FailingApp();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "printer jammed", clientMessageId = "c-old" });
        await Task.Delay(20); // failure times are the machine's clock, to the millisecond
        var since = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });
        await client.PostAsJsonAsync("/chat/send", new { person = "frank", text = "keyboard missing keys", clientMessageId = "c-2" });
        app.Get<FailingHandler>().Fixed = true;

        var response = await client.PostAsync(new Uri($"/api/inbox/retry?since={Uri.EscapeDataString(since.ToString("O"))}", UriKind.Relative), null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("retried").GetInt32());
        Assert.Equal(["web:c-1", "web:c-2"], body.GetProperty("platformIds").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        await Until(app, async inbox => (await inbox.FindAsync("web:c-1"))?.ProcessedAt is not null && (await inbox.FindAsync("web:c-2"))?.ProcessedAt is not null ? "handled" : null);
        Assert.Equal(["erin", "frank"], (await app.Get<ITicketStore>().QueryAsync(new TicketQuery())).Select(t => t.Requester).Order(StringComparer.Ordinal));
        var left = (await client.GetFromJsonAsync<JsonElement>("/api/inbox/failed")).GetProperty("deliveries").EnumerateArray();
        Assert.Equal("web:c-old", Assert.Single(left).GetProperty("platformId").GetString());
    }

    [Theory]
    [InlineData("", "since is required")]
    [InlineData("?since=yesterday", "since must be an ISO 8601 time (got 'yesterday')")]
    public async Task A_bulk_retry_without_a_time_it_can_read_is_refused_and_retries_nothing(string query, string reason)
    {
        using var app = new FailingApp();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });

        var response = await client.PostAsync(new Uri($"/api/inbox/retry{query}", UriKind.Relative), null);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.Contains("POST /api/inbox/retry?since=", text, StringComparison.Ordinal);
        Assert.NotNull((await app.Get<IInbox>().FindAsync("web:c-1"))!.Error);
    }

    private static async Task<T> Until<T>(ItChatBotApp app, Func<IInbox, Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe(app.Get<IInbox>()) is { } value)
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("The retried delivery was not handled within 30 s.");
    }

    private sealed class FailingApp : ItChatBotApp
    {
        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<FailingHandler>();
            services.AddSingleton<IMessageHandler>(sp => sp.GetRequiredService<FailingHandler>());
        }
    }

    /// <summary>First in line for every message, and fails as a connector that timed out would, until it is fixed.</summary>
    private sealed class FailingHandler : IMessageHandler
    {
        private volatile bool _fixed;

        public bool Fixed
        {
            get => _fixed;
            set => _fixed = value;
        }

        public int Order => int.MinValue;

        public Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken) =>
            Fixed ? Task.FromResult(false) : throw new InvalidOperationException("the directory timed out");
    }

}
