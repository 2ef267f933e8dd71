using System.Net;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>Activities through the real host: messages, mentions, typed commands, installs, duplicates, and bad input.</summary>
public sealed class ActivityTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public ActivityTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework);
    }

    private string ServiceUrl => _botFramework.ServiceUrl;

    private Task<HttpResponseMessage> PostAsync(string json) => _app.PostActivityAsync(json, _app.ValidToken(_key, ServiceUrl));

    [Fact]
    public async Task A_personal_message_opens_a_ticket_and_the_card_is_posted_as_a_reply_to_it()
    {
        var activity = TestActivities.Message(ServiceUrl, "my laptop fan is very loud");

        var response = await PostAsync(activity.Json());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the ticket card");
        Assert.Equal("POST", call.RequestMessage.Method);
        Assert.Equal($"/teams/v3/conversations/a:personal-1/activities/{activity["id"]}", call.RequestMessage.AbsolutePath);
        using var body = JsonDocument.Parse(call.RequestMessage.Body!);
        var attachment = body.RootElement.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("1.5", attachment.GetProperty("content").GetProperty("version").GetString());
        Assert.StartsWith("IT-1:", attachment.GetProperty("content").GetProperty("body")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_channel_mention_is_stripped_before_routing()
    {
        var response = await PostAsync(TestActivities.ChannelMention(ServiceUrl, "my laptop will not start").Json());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the ticket card");
        Assert.Contains("my laptop will not start", call.RequestMessage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", call.RequestMessage.Body, StringComparison.Ordinal);
        Assert.StartsWith("/teams/v3/conversations/19:abc@thread.tacv2;messageid=1700000000000/activities/", call.RequestMessage.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typed_it_status_command_answers_with_the_ticket()
    {
        await PostAsync(TestActivities.Message(ServiceUrl, "my monitor flickers").Json());
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the first card");

        await PostAsync(TestActivities.Message(ServiceUrl, "it status IT-1").Json());

        var second = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Skip(1).FirstOrDefault(), "the status card");
        Assert.Contains("IT-1: my monitor flickers", second.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal(1, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_malformed_typed_command_gets_the_correct_form()
    {
        await PostAsync(TestActivities.Message(ServiceUrl, "it status banana").Json());

        var call = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the usage answer");
        Assert.Contains("is not a ticket key", call.RequestMessage.Body, StringComparison.Ordinal);
        // The card's markdown escapes the brackets, and JSON its backslashes.
        Assert.Contains(@"/it status \\[KEY\\]", call.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task Installing_the_bot_sends_a_short_welcome_once()
    {
        var install = TestActivities.Installed(ServiceUrl).Json();

        await PostAsync(install);
        await PostAsync(install);

        var call = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(), "the welcome");
        Assert.Equal("/teams/v3/conversations/19:team@thread.tacv2/activities", call.RequestMessage.AbsolutePath);
        Assert.Contains("your service desk in Teams", call.RequestMessage.Body, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Single(_botFramework.ConnectorCalls());
    }

    [Fact]
    public async Task A_duplicate_activity_id_is_processed_once()
    {
        var json = TestActivities.Message(ServiceUrl, "my monitor flickers since Monday").Json();

        var first = await PostAsync(json);
        var second = await PostAsync(json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the one card");
        await Task.Delay(300);
        Assert.Single(_botFramework.ConnectorCalls());
        Assert.Equal(1, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task The_same_activity_id_in_two_conversations_opens_two_tickets_and_a_redelivery_still_opens_none()
    {
        // Teams message ids are millisecond timestamps: unique within a conversation, not across conversations.
        const string sameId = "1632474074231";
        var inA = TestActivities.Message(ServiceUrl, "my monitor flickers", "a:conv-A", id: sameId).Json();
        var inB = TestActivities.Message(ServiceUrl, "my laptop will not start", "a:conv-B", id: sameId).Json();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(inA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(inB)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(inA)).StatusCode);

        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 2, "a card in each conversation");
        await Task.Delay(300);
        var paths = _botFramework.ConnectorCalls().Select(c => c.RequestMessage.AbsolutePath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"/teams/v3/conversations/a:conv-A/activities/{sameId}", $"/teams/v3/conversations/a:conv-B/activities/{sameId}"], paths);
        Assert.Equal(2, await _app.EventLog.CountAsync());
    }

    [Theory]
    [InlineData("{\"type\":\"message\",", "not a valid activity")]
    [InlineData("[1,2,3]", "not a valid activity")]
    [InlineData("{\"id\":\"x2\"}", "'type' is required")]
    public async Task Bad_input_gets_a_400_with_the_reason_and_stores_nothing(string body, string reason)
    {
        var response = await PostAsync(body);

        await AssertBadRequestAsync(response, reason);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("replyToId")]
    public async Task An_id_holding_a_NUL_gets_a_400_naming_it_and_stores_nothing(string field)
    {
        var activity = TestActivities.Message(ServiceUrl, "hello");
        activity[field] = "act-1\u0000";

        await AssertBadRequestAsync(await PostAsync(activity.Json()), $"'{field}' contains the NUL character (U+0000)");
    }

    [Fact]
    public async Task A_message_without_a_conversation_gets_a_400_and_stores_nothing()
    {
        var activity = TestActivities.Message(ServiceUrl, "hello");
        activity.Remove("conversation");

        await AssertBadRequestAsync(await PostAsync(activity.Json()), "'conversation.id' is required");
    }

    [Fact]
    public async Task An_oversized_activity_is_refused_and_not_stored()
    {
        var activity = TestActivities.Message(ServiceUrl, new string('x', TeamsEndpoint.MaxBodyBytes));

        var response = await PostAsync(activity.Json());

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
    }

    // Receivers must ignore activity types they do not know (protocols/teams.md §2): a type Teams adds later is not bad input.
    [Theory]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("someFutureType")]
    public async Task An_activity_type_the_bot_does_not_act_on_is_acknowledged_and_not_stored(string type)
    {
        var activity = TestActivities.Message(ServiceUrl, "my monitor flickers");
        activity["type"] = type;

        var response = await PostAsync(activity.Json());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
        await Task.Delay(300);
        Assert.Empty(_botFramework.ConnectorCalls());
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_unknown_activity_type_still_needs_a_valid_token()
    {
        var activity = TestActivities.Message(ServiceUrl, "");
        activity["type"] = "someFutureType";

        var response = await _app.PostActivityAsync(activity.Json(), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task AssertBadRequestAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _app.Get<IInbox>().PendingAsync(10));
        Assert.Equal(0, await _app.EventLog.CountAsync());
        await Task.Delay(200);
        Assert.Empty(_botFramework.ConnectorCalls());
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
