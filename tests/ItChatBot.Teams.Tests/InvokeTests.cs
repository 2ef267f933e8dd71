using System.Net;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Teams.Tests;

/// <summary>Action.Execute: the invoke is answered with the refreshed card, which is not posted a second time.</summary>
public sealed class InvokeTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public InvokeTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework);
    }

    private string ServiceUrl => _botFramework.ServiceUrl;

    private Task<HttpResponseMessage> PostAsync(string json) => _app.PostActivityAsync(json, _app.ValidToken(_key, ServiceUrl));

    private async Task<string> OpenTicketAsync()
    {
        await PostAsync(TestActivities.Message(ServiceUrl, "my laptop fan is very loud").Json());
        var card = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the ticket card");
        using var body = JsonDocument.Parse(card.RequestMessage.Body!);
        Assert.Contains("\"verb\":\"ticket.status\"", card.RequestMessage.Body, StringComparison.Ordinal);
        return "activity-1";
    }

    [Fact]
    public async Task Refresh_answers_the_invoke_with_the_refreshed_card()
    {
        var cardId = await OpenTicketAsync();

        var response = await PostAsync(TestActivities.Execute(ServiceUrl, "ticket.status", "IT-1", cardId).Json());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(200, body.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.RootElement.GetProperty("type").GetString());
        var card = body.RootElement.GetProperty("value");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.StartsWith("IT-1:", card.GetProperty("body")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // The refreshed card went back in the response; it is not posted again as a new message.
        await Task.Delay(500);
        Assert.Single(_botFramework.ConnectorCalls());
    }

    [Fact]
    public async Task An_invoke_sent_before_the_start_up_sweep_has_read_waits_for_the_read_and_is_answered_once_after_it()
    {
        // Stored before the sweep's read and handled while its request waits, an invoke would also be handled by the sweep.
        GatedSweepInbox? gated = null;
        using var app = _app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IInbox>(sp => gated = new GatedSweepInbox(sp.GetRequiredService<LiteDbStore>()))));
        using var client = app.CreateClient();
        var inbox = app.Services.GetRequiredService<IInbox>();

        // A message first, journalled and acked: the host is up, its token checks warm, and the message is in the inbox.
        var message = TestActivities.Message(ServiceUrl, "my laptop fan is very loud");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Activity(message))).StatusCode);
        await Eventually.WaitAsync(() => inbox.FindAsync($"teams:a:personal-1:{message["id"]}").Result, "the message in the inbox");
        var invoke = TestActivities.Execute(ServiceUrl, "ticket.status", "IT-1", "activity-1");
        var invokeId = $"teams:a:personal-1:{invoke["id"]}";

        var sent = client.SendAsync(Activity(invoke));
        await Task.Delay(500);

        Assert.False(sent.IsCompleted, "the invoke was answered before the sweep had read");
        Assert.Null(await inbox.FindAsync(invokeId));
        gated!.Gate.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await sent.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        Assert.NotNull((await inbox.FindAsync(invokeId))!.ProcessedAt);

        HttpRequestMessage Activity(System.Text.Json.Nodes.JsonObject activity)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
            {
                Content = new StringContent(activity.Json(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _app.ValidToken(_key, ServiceUrl));
            return request;
        }
    }

    [Fact]
    public async Task Withdrawing_resolves_the_ticket_and_the_card_says_so()
    {
        var cardId = await OpenTicketAsync();

        var response = await PostAsync(TestActivities.Execute(ServiceUrl, "ticket.withdraw", "IT-1", cardId).Json());

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Withdrawn", text, StringComparison.Ordinal);
        Assert.Contains("Resolved", text, StringComparison.Ordinal);
        Assert.Equal(2, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task In_a_personal_chat_the_invoke_response_is_the_whole_answer()
    {
        var cardId = await OpenTicketAsync();

        await PostAsync(TestActivities.Execute(ServiceUrl, "ticket.withdraw", "IT-1", cardId).Json());

        // Only the requester reads a personal chat, and they saw the result in place of the card: nothing is posted. The
        // ticket's card (its receipt) is then replaced in place with the request as it now stands: resolved, nothing to withdraw.
        var update = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Skip(1).FirstOrDefault(), "the receipt's update");
        Assert.Equal("PUT", update.RequestMessage.Method);
        Assert.EndsWith($"/activities/{cardId}", update.RequestMessage.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Resolved", update.RequestMessage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ticket.withdraw", update.RequestMessage.Body, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(2, _botFramework.ConnectorCalls().Count);
    }

    [Fact]
    public async Task In_a_channel_a_reply_to_an_action_is_also_posted_for_everyone()
    {
        const string channel = "19:abc@thread.tacv2;messageid=1700000000000";
        await PostAsync(TestActivities.Message(ServiceUrl, "my laptop fan is very loud", channel, "channel").Json());
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the ticket card");
        var cardId = "activity-1";

        var response = await PostAsync(TestActivities.Execute(ServiceUrl, "ticket.withdraw", "IT-1", cardId, channel, "channel").Json());

        // The clicker sees the result in the invoke response; the rest of the channel in the thread.
        Assert.Contains("Withdrawn", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Also the ticket's card (its receipt) is replaced in place with the request as it now stands.
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count >= 3, "the result in the channel and the receipt's update");
        var posted = Assert.Single(_botFramework.ConnectorCalls().Skip(1), c => c.RequestMessage.Method == "POST");
        // In the channel thread the card is in: the thread's own conversation id, as a reply to its root post.
        Assert.Equal($"/teams/v3/conversations/{channel}/activities/1700000000000", posted.RequestMessage.AbsolutePath);
        Assert.Contains("Withdrawn", posted.RequestMessage.Body, StringComparison.Ordinal);
        var updated = Assert.Single(_botFramework.ConnectorCalls().Skip(1), c => c.RequestMessage.Method == "PUT");
        Assert.Equal($"/teams/v3/conversations/{channel}/activities/{cardId}", updated.RequestMessage.AbsolutePath);
        Assert.Contains("Resolved", updated.RequestMessage.Body, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(3, _botFramework.ConnectorCalls().Count);
    }

    [Fact]
    public async Task A_refused_action_is_answered_with_a_message_and_changes_nothing()
    {
        var response = await PostAsync(TestActivities.Execute(ServiceUrl, "ticket.withdraw", "IT-99", "activity-x").Json());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("application/vnd.microsoft.activity.message", body.RootElement.GetProperty("type").GetString());
        Assert.Contains("IT-99", body.RootElement.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_repeated_invoke_is_handled_once()
    {
        var cardId = await OpenTicketAsync();
        var json = TestActivities.Execute(ServiceUrl, "ticket.withdraw", "IT-1", cardId).Json();

        await PostAsync(json);
        var again = await PostAsync(json);

        Assert.Contains("already handled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_invoke_without_action_data_gets_a_400()
    {
        var activity = TestActivities.Execute(ServiceUrl, "ticket.status", "IT-1", "activity-1");
        activity["value"] = JsonSerializer.SerializeToNode(new { action = new { type = "Action.Execute" } });

        var response = await PostAsync(activity.Json());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("value.action", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoke_the_bot_does_not_handle_is_answered_with_an_invoke_error_and_stores_nothing()
    {
        var activity = TestActivities.Execute(ServiceUrl, "ticket.status", "IT-1", "activity-1");
        activity["name"] = "task/fetch";

        var response = await PostAsync(activity.Json());

        // The client waits for an invoke response, so the refusal comes in that shape rather than as a ProblemDetails 400.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, body.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", body.RootElement.GetProperty("type").GetString());
        Assert.Contains("task/fetch", body.RootElement.GetProperty("value").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("value").GetProperty("code").GetString()));
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
        Assert.Equal(0, await _app.EventLog.CountAsync());
        Assert.Empty(_botFramework.ConnectorCalls());
    }

    [Fact]
    public async Task An_action_submit_message_is_routed_as_a_card_action()
    {
        await OpenTicketAsync();
        var submit = TestActivities.Message(ServiceUrl, "");
        submit["replyToId"] = "activity-1";
        submit["value"] = JsonSerializer.SerializeToNode(new { actionId = "ticket.status", value = "IT-1" });

        await PostAsync(submit.Json());

        var answer = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Skip(1).FirstOrDefault(), "the status card");
        Assert.Contains("IT-1: my laptop fan is very loud", answer.RequestMessage.Body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
