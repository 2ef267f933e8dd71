using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Slack.Tests;

/// <summary>Outbox delivery through the real host's dispatcher to the fake Slack API.</summary>
public sealed class SenderTests : IDisposable
{
    private readonly SlackTestApp _slack = new();

    [Fact]
    public async Task A_429_with_a_long_Retry_After_keeps_the_message_queued_until_then()
    {
        _slack.Slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).InScenario("limited").WillSetStateTo("free").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));
        var message = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));

        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.LastError is not null, "the failed attempt recorded");
        var entry = (await Outbox.GetMessageAsync(message.Id))!;
        Assert.Equal(OutboxState.Pending, entry.State);
        Assert.Equal(_slack.App.Clock.GetUtcNow().AddSeconds(30), entry.NextAttemptAt);

        _slack.App.Clock.Advance(TimeSpan.FromSeconds(29));
        _slack.App.Clock.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.State == OutboxState.Sent, "the send after Retry-After");
        Assert.Equal(2, _slack.Slack.Calls("chat.postMessage").Count);
    }

    [Fact]
    public async Task Messages_that_failed_together_are_tried_again_at_spread_out_instants()
    {
        _slack.Slack.AnswerWhen("chat.postMessage", "C0DOWN", new { ok = false, error = "internal_error" });
        var messages = new List<OutboundMessage>();
        for (var i = 0; i < 4; i++)
        {
            messages.Add(await EnqueueAsync(new ConversationRef("slack", $"C0DOWN{i}")));
        }

        await Eventually.TrueAsync(async () => (await Outbox.FailingAsync(10)).Count == 4, "four failed attempts recorded");

        var now = _slack.App.Clock.GetUtcNow();
        var waits = (await Outbox.FailingAsync(10)).Select(e => e.NextAttemptAt - now).ToList();
        // First failure: 2^0 = 1 s, plus up to a quarter.
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.25)));
        Assert.True(waits.Distinct().Count() > 1, $"waits: {string.Join(", ", waits)}");
    }

    [Fact]
    public async Task An_update_replaces_the_earlier_card_in_place()
    {
        var first = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(first.Id))!.State == OutboxState.Sent, "the first card sent");

        var update = first with { Id = Guid.NewGuid().ToString("N"), UpdateOf = first.Id, Card = new Card { Title = "IT-9 approved" } };
        await Outbox.EnqueueAsync([update]);
        _slack.App.Get<OutboxSignal>().Notify();

        var body = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.update"));
        Assert.Equal(FakeSlack.DmChannel, body.GetProperty("channel").GetString());
        Assert.Equal(FakeSlack.PostedTs, body.GetProperty("ts").GetString());
        Assert.Equal("IT-9 approved", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Two_updates_of_a_card_due_together_make_one_call_with_the_last()
    {
        // A request automation resolves at once: its card moves to In progress, then to Resolved, within a second.
        var first = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(first.Id))!.State == OutboxState.Sent, "the first card sent");
        var moved = first with { Id = "update-1", UpdateOf = first.Id, Card = new Card { Title = "IT-9 in progress" } };
        var resolved = first with { Id = "update-2", UpdateOf = first.Id, Card = new Card { Title = "IT-9 resolved" } };

        await Outbox.EnqueueAsync([moved, resolved]);
        _slack.App.Get<OutboxSignal>().Notify();

        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(resolved.Id))!.State == OutboxState.Sent, "the last update sent");
        var update = FakeSlack.Json(Assert.Single(_slack.Slack.Calls("chat.update")));
        Assert.Equal((FakeSlack.PostedTs, "IT-9 resolved"), (update.GetProperty("ts").GetString(), update.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()));
        var skipped = (await Outbox.GetMessageAsync(moved.Id))!;
        Assert.Equal((OutboxState.Sent, (await Outbox.GetMessageAsync(first.Id))!.PlatformMessageId), (skipped.State, skipped.PlatformMessageId));
    }

    [Fact]
    public async Task A_message_threaded_under_a_card_goes_in_that_cards_thread_once_it_is_sent()
    {
        // A queue card and a requester's message for its thread, queued together: the card's ts is not known until it is sent.
        var card = new OutboundMessage { Id = "queue-post:IT-9:IT:slack", Conversation = new ConversationRef("slack", "C0QUEUE"), Card = new Card { Title = "IT-9 · P3 · new laptop" }, Ticket = "IT-9", CreatedAt = _slack.App.Clock.GetUtcNow() };
        var reply = new OutboundMessage { Id = "relay-1", Conversation = new ConversationRef("slack", "C0QUEUE"), Card = new Card { Title = "Erin wrote on IT-9" }, Ticket = "IT-9", InThreadOf = card.Id, CreatedAt = _slack.App.Clock.GetUtcNow() };

        await Outbox.EnqueueAsync([card, reply]);
        _slack.App.Get<OutboxSignal>().Notify();

        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(reply.Id))!.State == OutboxState.Sent, "both sent");
        var posts = _slack.Slack.Calls("chat.postMessage").Select(FakeSlack.Json).ToList();
        Assert.Equal(2, posts.Count);
        Assert.False(posts[0].TryGetProperty("thread_ts", out _));
        // The card's id in the outbox is "D0DMCHANNEL:1772442000.000100" (channel and ts); the thread is the ts.
        Assert.Equal(FakeSlack.PostedTs, posts[1].GetProperty("thread_ts").GetString());
        Assert.Equal("Erin wrote on IT-9", posts[1].GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_update_queued_while_its_card_waits_for_a_retry_replaces_that_card_once_it_is_sent()
    {
        _slack.Slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).InScenario("limited").WillSetStateTo("free").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));
        var first = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(first.Id))!.LastError is not null, "the limited attempt recorded");

        var update = first with { Id = Guid.NewGuid().ToString("N"), UpdateOf = first.Id, Card = new Card { Title = "IT-9 approved" } };
        await Outbox.EnqueueAsync([update]);
        _slack.App.Get<OutboxSignal>().Notify();
        _slack.App.Clock.Advance(TimeSpan.FromSeconds(29));
        // A pass now finds the card still waiting, so the update waits behind it instead of going out as a card of its own.
        await _slack.App.Services.GetServices<IHostedService>().OfType<ItChatBot.Host.Delivery.OutboxDispatcher>().Single().DispatchDueAsync(default);
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
        Assert.Equal(OutboxState.Pending, (await Outbox.GetMessageAsync(update.Id))!.State);

        _slack.App.Clock.Advance(TimeSpan.FromSeconds(1));

        var body = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.update"));
        Assert.Equal(FakeSlack.PostedTs, body.GetProperty("ts").GetString());
        Assert.Equal("IT-9 approved", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(2, _slack.Slack.Calls("chat.postMessage").Count);
    }

    [Fact]
    public async Task A_message_slack_keeps_refusing_is_listed_with_its_error_until_it_goes_out()
    {
        _slack.Slack.AnswerWhen("chat.postMessage", "C0GONE", new { ok = false, error = "channel_not_found" });
        var refused = await EnqueueAsync(new ConversationRef("slack", "C0GONE"));
        var delivered = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(refused.Id))!.LastError is not null, "the refused attempt recorded");
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(delivered.Id))!.State == OutboxState.Sent, "the other message sent");

        var failing = await _slack.Client.GetFromJsonAsync<JsonElement>("/api/outbox/failing");

        var listed = Assert.Single(failing.GetProperty("messages").EnumerateArray());
        Assert.Equal((refused.Id, "slack", "C0GONE", "IT-9: new laptop"),
            (listed.GetProperty("id").GetString(), listed.GetProperty("channel").GetString(), listed.GetProperty("conversation").GetString(), listed.GetProperty("title").GetString()));
        Assert.Contains("channel_not_found", listed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, listed.GetProperty("attempts").GetInt32());

        var bad = await _slack.Client.GetAsync("/api/outbox/failing?max=0");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("max must be a whole number from 1 to 1000", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_message_waits_an_hour_unless_an_operator_retries_it_after_fixing_the_cause()
    {
        _slack.Slack.AnswerWhen("chat.postMessage", "C0GONE", new { ok = false, error = "not_in_channel" });
        var refused = await EnqueueAsync(new ConversationRef("slack", "C0GONE"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(refused.Id))!.LastError is not null, "the refused attempt recorded");

        var entry = (await Outbox.GetMessageAsync(refused.Id))!;
        Assert.Equal(_slack.App.Clock.GetUtcNow() + ItChatBot.Host.Delivery.OutboxDispatcher.PermanentBackoff, entry.NextAttemptAt);
        Assert.Contains($"not_in_channel (refused until its cause is fixed: tried again hourly, or now with POST /api/outbox/{refused.Id}/retry)", entry.LastError, StringComparison.Ordinal);
        _slack.App.Clock.Advance(TimeSpan.FromMinutes(59));
        await _slack.App.Services.GetServices<IHostedService>().OfType<ItChatBot.Host.Delivery.OutboxDispatcher>().Single().DispatchDueAsync(default);
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));

        // The bot is invited back; the operator sends it now rather than in a minute.
        _slack.Slack.Answer("chat.postMessage", new { ok = true, channel = "C0GONE", ts = "1772442000.000300" }, priority: 1);
        var retried = await _slack.Client.PostAsync($"/api/outbox/{refused.Id}/retry", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt32());
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(refused.Id))!.State == OutboxState.Sent, "the retried send");
        Assert.Equal("C0GONE:1772442000.000300", (await Outbox.GetMessageAsync(refused.Id))!.PlatformMessageId);

        var again = await _slack.Client.PostAsync($"/api/outbox/{refused.Id}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("was already sent", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await _slack.Client.PostAsync("/api/outbox/no-such-id/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("GET /api/outbox/failing lists the ids", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrying_all_sends_every_waiting_message_and_leaves_the_sent_ones_alone()
    {
        _slack.Slack.AnswerWhen("chat.postMessage", "C0GONE", new { ok = false, error = "invalid_auth" });
        var first = await EnqueueAsync(new ConversationRef("slack", "C0GONE"));
        var second = await EnqueueAsync(new ConversationRef("slack", "C0GONE", "1772442000.000001"));
        var delivered = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE"));
        await Eventually.TrueAsync(async () => (await Outbox.FailingAsync(10)).Count == 2, "both refused attempts recorded");
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(delivered.Id))!.State == OutboxState.Sent, "the other message sent");
        var postsBefore = _slack.Slack.Calls("chat.postMessage").Count;

        _slack.Slack.Answer("chat.postMessage", new { ok = true, channel = "C0GONE", ts = "1772442000.000300" }, priority: 1);
        var retried = await _slack.Client.PostAsync("/api/outbox/retry", null);

        Assert.Equal(2, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt32());
        await Eventually.TrueAsync(async () => (await Outbox.FailingAsync(10)).Count == 0, "both retried sends");
        Assert.Equal(OutboxState.Sent, (await Outbox.GetMessageAsync(first.Id))!.State);
        Assert.Equal(OutboxState.Sent, (await Outbox.GetMessageAsync(second.Id))!.State);
        Assert.Equal(postsBefore + 2, _slack.Slack.Calls("chat.postMessage").Count);
    }

    [Fact]
    public async Task A_message_to_a_user_id_or_an_email_goes_to_their_dm()
    {
        await EnqueueAsync(new ConversationRef("slack", "ana@example.com"));

        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal(FakeSlack.DmChannel, post.GetProperty("channel").GetString());
        Assert.Equal("ana@example.com", FakeSlack.Form(Assert.Single(_slack.Slack.Calls("users.lookupByEmail")))["email"]);
        Assert.Equal("U1", FakeSlack.Form(Assert.Single(_slack.Slack.Calls("conversations.open")))["users"]);
    }

    [Fact]
    public async Task A_file_is_uploaded_into_the_thread_of_its_message()
    {
        var message = await EnqueueAsync(new ConversationRef("slack", "C0QUEUE", "1772442000.000001"), new OutboundFile("tickets.csv", "text/csv", "key\nIT-1\n"u8.ToArray()));

        var complete = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal"));
        Assert.Equal("C0QUEUE", complete.GetProperty("channel_id").GetString());
        Assert.Equal("1772442000.000001", complete.GetProperty("thread_ts").GetString());
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.PlatformMessageId == "C0QUEUE:file:F123", "the upload recorded");
    }

    [Fact]
    public async Task A_send_that_times_out_stays_queued_and_the_host_keeps_running()
    {
        using var slow = new SlackTestApp(settings: new Dictionary<string, string?> { ["Slack:RequestTimeout"] = "00:00:00.200" });
        slow.Slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).AtPriority(1)
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(5)).WithBodyAsJson(new { ok = true, channel = "C0QUEUE", ts = "1.1" }));
        var outbox = slow.App.Get<IOutbox>();
        var message = new OutboundMessage { Id = Guid.NewGuid().ToString("N"), Conversation = new ConversationRef("slack", "C0QUEUE"), Card = new Card { Title = "IT-9" }, CreatedAt = slow.App.Clock.GetUtcNow() };
        await outbox.EnqueueAsync([message]);
        slow.App.Get<OutboxSignal>().Notify();

        // The pipeline's timeouts run on the host's clock, which this test moves on.
        await Eventually.TrueAsync(
            async () =>
            {
                slow.App.Clock.Advance(TimeSpan.FromMilliseconds(100));
                return (await outbox.GetMessageAsync(message.Id))!.LastError is not null;
            },
            "the timed-out attempt recorded");
        var entry = (await outbox.GetMessageAsync(message.Id))!;
        Assert.Equal(OutboxState.Pending, entry.State);
        Assert.Contains("timeout", entry.LastError, StringComparison.Ordinal);
        Assert.False(slow.App.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, "the host is still running");

        // Slack answers in time again: the next attempt, once its backoff is over, is sent.
        slow.Slack.Server.Given(Request.Create().UsingPost().WithPath("/api/chat.postMessage")).AtPriority(0)
            .RespondWith(Response.Create().WithBodyAsJson(new { ok = true, channel = "C0QUEUE", ts = "1.2" }));
        await Eventually.TrueAsync(
            async () =>
            {
                slow.App.Clock.Advance(TimeSpan.FromSeconds(1));
                return (await outbox.GetMessageAsync(message.Id))!.State == OutboxState.Sent;
            },
            "the retry sent");
        Assert.Equal("C0QUEUE:1.2", (await outbox.GetMessageAsync(message.Id))!.PlatformMessageId);
    }

    [Theory]
    [InlineData("Slack:RequestTimeout", "00:00:00")]
    [InlineData("Slack:SocketModePingTimeout", "00:00:00")]
    [InlineData("Slack:SocketModePingTimeout", "-00:00:05")]
    public void A_timeout_that_is_not_a_positive_duration_stops_the_start_with_the_setting_named(string key, string value)
    {
        using var app = new ItChatBot.Testing.ItChatBotApp(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = FakeSlack.BotToken,
            ["Slack:SigningSecret"] = SlackTestApp.SigningSecret,
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"{key} must be a positive duration", error.ToString(), StringComparison.Ordinal);
    }

    private IOutbox Outbox => _slack.App.Get<IOutbox>();

    private async Task<OutboundMessage> EnqueueAsync(ConversationRef to, OutboundFile? file = null)
    {
        var message = new OutboundMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            Conversation = to,
            Card = new Card { Title = "IT-9: new laptop", Text = "Waiting for approval" },
            File = file,
            CreatedAt = _slack.App.Clock.GetUtcNow(),
        };
        await Outbox.EnqueueAsync([message]);
        _slack.App.Get<OutboxSignal>().Notify();
        return message;
    }

    public void Dispose() => _slack.Dispose();
}
