using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Tests.Infrastructure;

namespace ItChatBot.Teams.Tests;

/// <summary>Proactive messages from stored conversation references, and cards updated in place.</summary>
public sealed class ProactiveTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public ProactiveTests()
    {
        _botFramework.ServeKeys(_key);
        _app = new TeamsApp(_botFramework);
    }

    private async Task SendAsync(OutboundMessage message)
    {
        await _app.Get<IOutbox>().EnqueueAsync([message]);
        _app.Get<OutboxSignal>().Notify();
    }

    private OutboundMessage Message(ConversationRef to, string title) =>
        new() { Id = Guid.NewGuid().ToString("N"), Conversation = to, Card = new Card { Title = title }, CreatedAt = _app.Clock.GetUtcNow() };

    [Fact]
    public async Task A_message_to_a_user_known_from_a_channel_opens_their_personal_chat_first()
    {
        // The manager has only spoken to the bot in a channel so far.
        var mention = TestActivities.ChannelMention(_botFramework.ServiceUrl, "it help");
        await _app.PostActivityAsync(mention.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the help answer in the channel");

        await SendAsync(Message(new ConversationRef(Channels.Teams, TestActivities.UserAad), "Approval needed: IT-7"));

        var calls = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls() is { Count: 3 } c ? c : null, "the create and the send");
        var create = calls[1].RequestMessage;
        Assert.Equal(("POST", "/teams/v3/conversations"), (create.Method, create.Path));
        Assert.Contains($"\"members\":[{{\"id\":\"{TestActivities.UserId}\"}}]", create.Body, StringComparison.Ordinal);
        Assert.Contains($"\"tenantId\":\"{TestActivities.Tenant}\"", create.Body, StringComparison.Ordinal);
        Assert.Contains($"\"bot\":{{\"id\":\"{TestActivities.BotId}\"", create.Body, StringComparison.Ordinal);
        var send = calls[2].RequestMessage;
        Assert.Equal(("POST", "/teams/v3/conversations/activity-2/activities"), (send.Method, send.Path));
        Assert.Contains("Approval needed: IT-7", send.Body, StringComparison.Ordinal);

        // The personal chat is remembered: the next message goes straight there.
        await SendAsync(Message(new ConversationRef(Channels.Teams, TestActivities.UserAad), "Approval needed: IT-8"));
        var next = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Skip(3).FirstOrDefault(), "the second proactive message");
        Assert.Equal("/teams/v3/conversations/activity-2/activities", next.RequestMessage.Path);
    }

    [Fact]
    public async Task A_message_to_a_user_the_bot_never_heard_from_stays_queued_with_the_reason()
    {
        var message = Message(new ConversationRef(Channels.Teams, "aad-unknown"), "hello");

        await SendAsync(message);

        var entry = await Eventually.WaitAsync(() => _app.Get<IOutbox>().GetMessageAsync(message.Id).Result is { Attempts: > 0 } e ? e : null, "the failed attempt");
        Assert.Equal(OutboxState.Pending, entry.State);
        Assert.Contains("knows no conversation or user 'aad-unknown'", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_puts_the_new_card_over_the_earlier_activity()
    {
        await _app.PostActivityAsync(TestActivities.Message(_botFramework.ServiceUrl, "it help").Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the first answer");
        var first = Message(new ConversationRef(Channels.Teams, "a:personal-1"), "Approval needed: IT-9");
        await SendAsync(first);
        await Eventually.WaitAsync(() => _app.Get<IOutbox>().GetMessageAsync(first.Id).Result?.State == OutboxState.Sent, "the card sent");

        await SendAsync(first with { Id = Guid.NewGuid().ToString("N"), UpdateOf = first.Id, Card = new Card { Title = "Approved by Dana: IT-9" } });

        var put = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Method == "PUT"), "the update");
        Assert.Equal("/teams/v3/conversations/a:personal-1/activities/activity-2", put.RequestMessage.Path);
        Assert.Contains("Approved by Dana: IT-9", put.RequestMessage.Body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }
}
