using ItChatBot.Core.Conversations;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Automation.Tests;

/// <summary>
/// A message that starts a workflow and asks for something else beside it ("I need a new mouse and also access to Jira"):
/// the workflow's ticket is for its workflow only, so the requester is told the rest reads like a request of its own and
/// offered a button that opens it. Before, the mouse was part of the access ticket's subject and nothing else: the run
/// resolved the ticket when the access was granted.
/// </summary>
public sealed class CompoundRequestTests : IDisposable
{
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?>
    {
        ["Automation:WorkflowsPath"] = RepoPaths.Workflows,
        ["Automation:KnowledgePath"] = RepoPaths.Knowledge,
    });

    private int _n;

    public void Dispose() => _app.Dispose();

    private Task<Turn> SayAsync(string text) => _app.Get<ConversationRouter>().RouteAsync(new InboundMessage
    {
        PlatformId = $"web:m{++_n}",
        Conversation = new ConversationRef(Channels.Web, "dm-erin"),
        FromPlatformUserId = "erin",
        ReceivedAt = _app.Clock.GetUtcNow(),
        MessageId = $"m{_n}",
        Text = text,
    });

    private Task<Turn> PressAsync(Core.Cards.CardButton button) => _app.Get<ConversationRouter>().RouteAsync(new CardAction
    {
        PlatformId = $"web:p{++_n}",
        Conversation = new ConversationRef(Channels.Web, "dm-erin", "m1"), // pressed in the request's thread, where the notice is
        FromPlatformUserId = "erin",
        ReceivedAt = _app.Clock.GetUtcNow(),
        ActionId = button.ActionId,
        Value = button.Value,
        Inputs = new Dictionary<string, string>(),
    });

    private async Task<IReadOnlyList<Ticket>> TicketsAsync() => await _app.Get<ITicketStore>().QueryAsync(new TicketQuery());

    [Theory]
    [InlineData("I need a new mouse and also access to Jira", "app-access", "I need a new mouse", "IT", "hardware")]
    [InlineData("please reset my password. Also my monitor flickers", "password-reset", "my monitor flickers", "IT", "hardware")]
    [InlineData("I forgot my password and my payslip is wrong", "password-reset", "my payslip is wrong", "HR", "payroll")]
    public async Task The_other_request_is_named_and_its_button_opens_it_apart_from_the_workflows_ticket(
        string text, string workflow, string other, string team, string category)
    {
        var turn = await SayAsync(text);

        var first = Assert.Single(await TicketsAsync());
        Assert.Contains(await _app.Get<IEventLog>().ReadTicketAsync(first.Key), e => e.Type == EventType.WorkflowStarted && e.Get(EventData.Workflow) == workflow);
        var notice = Assert.Single(turn.Replies, m => m.Card.Title == "Also in your message");
        Assert.Equal("erin", notice.EphemeralTo);
        Assert.Equal($"\"{other}\" reads like a request of its own: {first.Key} is for {_app.Get<Workflows.WorkflowCatalog>().Find(workflow)!.Name} only. "
            + "Open a request for it here, or tell me about it in a message of its own.", notice.Card.Text);
        var button = Assert.Single(notice.Card.Buttons);
        Assert.Equal(("Open a request for it", AwaitedAnswerActionHandler.OpenNew), (button.Label, button.ActionId));

        await PressAsync(button);

        var second = Assert.Single(await TicketsAsync(), t => t.Key != first.Key);
        Assert.Equal((other, team, category, "erin"), (second.Subject, second.Team, second.Category, second.Requester));
        // The workflow's ticket keeps its thread: the new request has one of its own.
        Assert.NotNull(first.Thread);
        Assert.NotEqual(first.Thread, second.Thread);
        Assert.Equal(first.Key, await _app.Get<ITicketStore>().FindTicketByThreadAsync(new ConversationRef(Channels.Web, "dm-erin", first.Thread)));
        Assert.Equal(first.Subject, (await _app.Get<ITicketStore>().GetAsync(first.Key))!.Subject);

        // Pressed again (the notice keeps its button in Slack and Teams): the request it opened, not a third ticket.
        var again = await PressAsync(button);
        Assert.Equal(2, (await TicketsAsync()).Count);
        Assert.Contains(again.Replies, m => m.Card.Text == $"{second.Key} is already open for \"{other}\"; nothing else was opened.");
    }

    [Theory]
    [InlineData("reset my password and unlock my account")] // one request in two phrasings
    [InlineData("I need access to GitHub and Confluence")] // the same kind of request
    [InlineData("my password expired and I can't log in")]
    [InlineData("I need access to GitHub for 2 days")] // one clause
    public async Task One_request_in_words_joined_by_and_gets_no_notice(string text)
    {
        var turn = await SayAsync(text);

        Assert.Single(await TicketsAsync());
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Also in your message");
    }
}
