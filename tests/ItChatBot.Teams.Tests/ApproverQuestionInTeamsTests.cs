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
/// A Teams personal chat has no threads, so the approval card sent to an approver there says to name the ticket to ask
/// the requester something, and a message that does so reaches the requester. Before, the card said nothing of it, and
/// the "wrote on" card said "reply here", which in a personal chat opened a request of the approver's own.
/// </summary>
public sealed class ApproverQuestionInTeamsTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public ApproverQuestionInTeamsTests()
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

    [Fact]
    public async Task The_approvers_card_says_to_name_the_ticket_and_a_message_naming_it_reaches_the_requester()
    {
        _ = _app.Services;
        var directory = _app.Get<IDirectory>();
        var dave = (await directory.FindAsync("dave"))!;
        dave.PlatformIds[Channels.Teams] = TestActivities.UserAad; // the test's Teams user is Dave
        await directory.UpsertAsync(dave);
        var ticket = await _app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P3", "erin", "Figma for 3 days please",
            new ConversationRef(Channels.Teams, "a:personal-erin")));
        var run = await _app.Get<WorkflowEngine>().StartAsync(_app.Get<WorkflowCatalog>().Find("temporary-access")!, ticket,
            new Dictionary<string, string> { ["application"] = "figma", ["duration"] = "3d" });

        var direct = (await _app.Get<IOutbox>().GetMessageAsync(ApprovalMessages.DirectCopyId(run.Id, 0, "dave")))!.Message;
        Assert.Equal(new ConversationRef(Channels.Teams, TestActivities.UserAad), direct.Conversation);
        Assert.EndsWith($"To ask them something, write {ticket.Key} and your message here.", direct.Card.Context, StringComparison.Ordinal);

        var question = TestActivities.Message(_botFramework.ServiceUrl, $"{ticket.Key}: which project is Figma for?");
        await _app.PostActivityAsync(question.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));

        var asked = await Eventually.WaitAsync(() => _app.Get<IOutbox>().ListConversationAsync(Channels.Teams, "a:personal-erin", 0).Result
            .FirstOrDefault(e => e.Message.Card.Title == $"Dave Manager asks about {ticket.Key}"), "the question in Erin's chat");
        Assert.Equal($"{ticket.Key}: which project is Figma for?", asked.Message.Card.Text);
        var told = await Eventually.WaitAsync(() => _botFramework.ConnectorCalls().FirstOrDefault(c => c.RequestMessage.Body?.Contains("has your message in", StringComparison.Ordinal) == true),
            "the notice to Dave");
        Assert.StartsWith("/teams/v3/conversations/a:personal-1/activities", told.RequestMessage.Path, StringComparison.Ordinal); // in Dave's own chat
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery())); // nothing opened for Dave
    }
}
