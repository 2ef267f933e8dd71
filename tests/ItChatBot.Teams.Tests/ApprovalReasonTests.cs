using System.Net;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// The reason typed in the approval card's box travels with Action.Execute (Teams merges the inputs into the
/// action's data) to the decision: the ApprovalDecided event and the audit entry carry it.
/// </summary>
public sealed class ApprovalReasonTests : IDisposable
{
    private readonly BotFrameworkStandIn _botFramework = new();
    private readonly TestKey _key = new("key-1", "msteams");
    private readonly TeamsApp _app;

    public ApprovalReasonTests()
    {
        _botFramework.ServeKeys(_key);
        _app = TeamsApp.WithWorkflows(_botFramework);
    }

    public void Dispose()
    {
        _app.Dispose();
        _botFramework.Dispose();
    }

    [Fact]
    public async Task The_reason_typed_in_the_adaptive_card_reaches_the_decision_and_the_audit_log()
    {
        _ = _app.Services;
        var directory = _app.Get<IDirectory>();
        var dave = (await directory.FindAsync("dave"))!;
        dave.PlatformIds[Channels.Teams] = TestActivities.UserAad; // the Teams adapter names people by their Entra object id
        await directory.UpsertAsync(dave);
        var ticket = await _app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", "erin", "admin on GitHub please",
            new ConversationRef(Channels.Teams, "a:personal-erin")));
        var run = await _app.Get<WorkflowEngine>().StartAsync(_app.Get<WorkflowCatalog>().Find("temporary-admin")!, ticket,
            new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" });

        // What the card carries: the approval buttons as Action.Execute and the reason box they submit with them.
        var card = Cards.AdaptiveCardRenderer.Render(Core.Approvals.ApprovalMessages.RequestCard(ticket, run.Id, 0, "admin on GitHub", "Erin Employee", "Dave Manager"));
        Assert.Contains("\"type\":\"Input.Text\",\"id\":\"reason\"", card.ToJsonString(), StringComparison.Ordinal);

        var press = TestActivities.Execute(_botFramework.ServiceUrl, "approval.approve", $"{run.Id}|0", "activity-approval");
        press["value"]!["action"]!["data"]!["reason"] = "ok for the quarter close";
        var response = await _app.PostActivityAsync(press.Json(), _app.ValidToken(_key, _botFramework.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.ApprovalDecided);
        Assert.Equal("dave", decided.Actor);
        Assert.Equal("ok for the quarter close", decided.Get(EventData.Reason));
        var audited = Assert.Single(await _app.Get<IAuditLog>().ReadSubjectAsync(ticket.Key), e => e.Action == AuditActions.ApprovalDecided);
        Assert.Equal("ok for the quarter close", audited.Data["reason"]);
    }
}
