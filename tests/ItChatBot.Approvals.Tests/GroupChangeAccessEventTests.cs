using ItChatBot.Automation.Access;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Approvals.Tests;

/// <summary>
/// A group change by a <c>directory</c> step is an access change (DESIGN §2): <c>add_group</c> records a permanent
/// <c>AccessGranted</c> and <c>remove_group</c> an <c>AccessRevoked</c>, each audited, each once per step.
/// </summary>
public sealed class GroupChangeAccessEventTests
{
    [Fact]
    public async Task App_access_approved_by_the_manager_records_one_permanent_access_grant_and_audits_it()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync("app-access");

        await s.PressAsync("dave", run, step: 1);
        await s.App.Get<WorkflowEngine>().ContinueAsync(run.Id);
        await s.App.Get<WorkflowEngine>().ResumeDueAsync();

        Assert.Contains("erin", s.App.Get<EmbeddedDirectoryConnector>().Members("app-github-users"));
        var granted = Assert.Single(await s.EventsAsync(run, EventType.AccessGranted));
        Assert.Equal(ActorKind.Automation, granted.ActorKind);
        Assert.Equal(("github", "member", "granted", "dave", "erin", run.Id),
            (granted.Get(EventData.Resource), granted.Get(EventData.Role), granted.Get(EventData.Outcome), granted.Get(EventData.Approver), granted.Get(EventData.Requester), granted.Get(EventData.Run)));
        Assert.Null(granted.Get(EventData.ExpiresAt));

        await s.App.Get<EventAuditProjector>().CatchUpAsync();
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.AccessGranted);
        Assert.Equal(("github", "dave"), (audited.Get("resource"), audited.Get("approver")));
        Assert.True((await s.App.Get<IAuditLog>().VerifyAsync()).IsIntact);

        // Permanent: nothing is scheduled for the revocation service, and a year on the ledger shows it active, not overdue.
        Assert.DoesNotContain(await s.App.Get<AccessGrantStore>().AllAsync(), g => g.RunId == run.Id);
        var yearOn = s.Now.AddDays(365);
        var row = Assert.Single(AccessLedger.Build(await s.App.EventLog.ReadTicketAsync(run.Ticket), granted.At, yearOn, yearOn));
        Assert.Equal((AccessLedger.Active, "dave", (DateTimeOffset?)null), (row.Outcome, row.Approver, row.ExpiresAt));
    }

    [Fact]
    public async Task A_removal_records_access_revoked_with_its_outcome_and_audits_it()
    {
        using var s = new ApprovalScenario();
        var connector = s.App.Get<EmbeddedDirectoryConnector>();
        await connector.AddToGroupAsync("erin", "app-jira-users");
        var ticket = await s.App.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P3", "erin", "remove my Jira access",
            new ConversationRef(Channels.Web, "dm-erin", "m-1")));

        var run = await s.App.Get<WorkflowEngine>().StartAsync(s.App.Get<WorkflowCatalog>().Find("leave-jira")!, ticket, new Dictionary<string, string>());

        Assert.DoesNotContain("erin", connector.Members("app-jira-users"));
        var revoked = Assert.Single(await s.EventsAsync(run, EventType.AccessRevoked));
        Assert.Equal(("app-jira-users", "member", "revoked"), (revoked.Get(EventData.Resource), revoked.Get(EventData.Role), revoked.Get(EventData.Outcome)));
        Assert.Empty(await s.EventsAsync(run, EventType.AccessGranted));
        await s.App.Get<EventAuditProjector>().CatchUpAsync();
        Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.AccessRevoked && e.Get("outcome") == "revoked");
    }
}
