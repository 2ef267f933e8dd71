using System.Net;
using System.Text.Json.Nodes;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// An approval decided with Action.Execute in a group chat: the invoke response shows the decided card to the
/// approver only, so the card is also PUT in place for everyone else in the chat (protocols/teams.md §6).
/// </summary>
public sealed class ApprovalInGroupChatTests : IDisposable
{
    private const string GroupChat = "19:group-1@thread.v2";
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public ApprovalInGroupChatTests()
    {
        _botFramework.ServeKeys(_key);
        _app = TeamsApp.WithWorkflows(_botFramework);
    }

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
        _botFramework.Dispose();
    }

    [Theory]
    [InlineData("personal", 0)] // erin's own chat with the bot: Approve and Deny only refused her
    [InlineData("groupChat", 2)]
    public async Task The_thread_copy_has_buttons_where_approvers_may_read_it_and_none_in_the_requesters_personal_chat(string type, int buttons)
    {
        var chat = type == "personal" ? "a:personal-erin" : GroupChat;
        var install = TestActivities.Installed(_botFramework.ServiceUrl, chat);
        install["conversation"]!["conversationType"] = type;
        await _app.PostActivityAsync(install.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the welcome");

        var ticket = await _app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", "erin", "admin on GitHub please",
            new ConversationRef(Channels.Teams, chat)));
        var run = await _app.Get<WorkflowEngine>().StartAsync(_app.Get<WorkflowCatalog>().Find("temporary-admin")!, ticket,
            new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" });

        var card = (await _app.Get<IOutbox>().GetMessageAsync(ApprovalMessages.ThreadCopyId(run.Id, 0)))!.Message.Card;
        Assert.Equal(buttons, card.Buttons.Count);
        Assert.Equal(buttons > 0, card.Context?.Contains("Waiting for", StringComparison.Ordinal) == false);
    }

    [Fact]
    public async Task The_decided_card_is_updated_in_the_group_chat_for_everyone()
    {
        var directory = _app.Get<IDirectory>();
        var dave = (await directory.FindAsync("dave"))!;
        dave.PlatformIds[Channels.Teams] = TestActivities.UserAad;
        await directory.UpsertAsync(dave);

        // The bot is installed in the group chat, so it can post the approval card there.
        var install = TestActivities.Installed(_botFramework.ServiceUrl, GroupChat);
        install["conversation"]!["conversationType"] = "groupChat";
        await _app.PostActivityAsync(install.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));
        await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().Count == 1, "the welcome");

        var ticket = await _app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", "erin", "admin on GitHub please",
            new ConversationRef(Channels.Teams, GroupChat)));
        var run = await _app.Get<WorkflowEngine>().StartAsync(_app.Get<WorkflowCatalog>().Find("temporary-admin")!, ticket,
            new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" });
        var outbox = _app.Get<IOutbox>();
        var posted = await Eventually.WaitAsync(
            () => outbox.GetMessageAsync(ApprovalMessages.ThreadCopyId(run.Id, 0)).Result is { State: OutboxState.Sent } e ? e : null, "the approval card in the chat");
        var cardId = posted.PlatformMessageId!;

        var press = TestActivities.Execute(_botFramework.ServiceUrl, "approval.approve", $"{run.Id}|0", cardId, GroupChat, "groupChat");
        var response = await _app.PostActivityAsync(press.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer["type"]);
        var put = await Eventually.WaitAsync(
            () => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Method == "PUT"), "the card updated in the chat");
        Assert.Equal($"/teams/v3/conversations/{GroupChat}/activities/{cardId}", put.RequestMessage.AbsolutePath);
        var content = JsonNode.Parse(put.RequestMessage.Body!)!["attachments"]![0]!["content"]!;
        Assert.True(JsonNode.DeepEquals(answer["value"], content), "everyone sees the card the approver saw");
    }
}
