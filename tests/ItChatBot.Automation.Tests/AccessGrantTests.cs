using ItChatBot.Automation.Access;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Automation.Tests;

public class AccessGrantTests : IAsyncLifetime
{
    private AutomationHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StartHarnessAsync();

    /// <summary>The harness each test runs on: the LiteDB file here, PostgreSQL in the subclass.</summary>
    protected virtual Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null) =>
        AutomationHarness.StartAsync(settings, workflowsFolder);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<WorkflowRun> GrantAsync(string application, string? duration)
    {
        var slots = new Dictionary<string, string> { ["application"] = application };
        if (duration is not null)
        {
            slots["duration"] = duration;
        }

        var run = await _harness.StartAsync("temporary-admin", slots);
        await _harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await _harness.Engine.ContinueAsync(run.Id);
        return run;
    }

    [Fact]
    public async Task A_grant_is_revoked_at_expiry_by_the_service_after_a_restart()
    {
        var run = await GrantAsync("aws", "2h");
        var grantedAt = _harness.Clock.GetUtcNow();
        Assert.Equal(["erin"], _harness.Embedded.Members("app-aws-admins"));
        var granted = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessGranted);
        Assert.Equal((grantedAt + TimeSpan.FromHours(2)).ToUniversalTime(), granted.GetTime(EventData.ExpiresAt));
        Assert.Equal(("aws", "admin", "granted", "dave"), (granted.Get(EventData.Resource), granted.Get(EventData.Role), granted.Get(EventData.Outcome), granted.Get(EventData.Approver)));
        Assert.Equal("false", granted.Get("alreadyMember"));

        await _harness.RestartAsync();
        _harness.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await _harness.Get<RevocationService>().RevokeDueAsync());
        Assert.Equal(["erin"], _harness.Embedded.Members("app-aws-admins"));

        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _harness.Get<RevocationService>().RevokeDueAsync());
        Assert.Equal(0, await _harness.Get<RevocationService>().RevokeDueAsync());

        Assert.Empty(_harness.Embedded.Members("app-aws-admins"));
        var revoked = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal(("revoked", ActorKind.Automation), (revoked.Get(EventData.Outcome), revoked.ActorKind));
        Assert.Null(revoked.Get("keptBy"));
        var grant = Assert.Single(await _harness.Grants.AllAsync());
        Assert.Equal(AccessGrantState.Revoked, grant.State);
        Assert.Equal(_harness.Clock.GetUtcNow(), grant.RevokedAt);
        Assert.Empty(await _harness.Get<RevocationService>().OverdueAsync());
        // The requester is told in the request's thread, once although the pass ran twice.
        var told = Assert.Single(await EndedMessagesAsync(run.Ticket));
        Assert.Equal(("m1", $"Your AWS Console admin access from {run.Ticket} has ended"), (told.Conversation.ThreadId, told.Card.Title));
        Assert.StartsWith("It was removed at the end of the time granted. If you still need it, ask again", told.Card.Text, StringComparison.Ordinal);
    }

    private async Task<List<Core.Conversations.OutboundMessage>> EndedMessagesAsync(string ticket) =>
        [.. (await _harness.Get<Core.Storage.IOutbox>().ListConversationAsync("web", "dm-erin", 0))
            .Select(e => e.Message).Where(m => m.Ticket == ticket && m.Card.Title.EndsWith("has ended", StringComparison.Ordinal))];

    [Fact]
    public async Task Ending_a_grant_keeps_the_membership_while_a_later_grant_on_the_same_group_still_runs()
    {
        var first = await GrantAsync("aws", "2h");
        var second = await GrantAsync("aws", "2d");
        var revocations = _harness.Get<RevocationService>();

        _harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await revocations.RevokeDueAsync());

        Assert.Equal(["erin"], _harness.Embedded.Members("app-aws-admins"));
        var ended = Assert.Single(await _harness.EventsAsync(first.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal(("revoked", $"{second.Id}:1"), (ended.Get(EventData.Outcome), ended.Get("keptBy")));
        Assert.StartsWith("You still have it until ", Assert.Single(await EndedMessagesAsync(first.Ticket)).Card.Text, StringComparison.Ordinal);

        _harness.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(2));
        Assert.Equal(1, await revocations.RevokeDueAsync());

        Assert.Empty(_harness.Embedded.Members("app-aws-admins"));
        var revoked = Assert.Single(await _harness.EventsAsync(second.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Null(revoked.Get("keptBy"));
        Assert.All(await _harness.Grants.AllAsync(), g => Assert.Equal(AccessGrantState.Revoked, g.State));
    }

    [Fact]
    public async Task A_person_who_already_was_a_member_keeps_the_membership_when_the_grant_expires()
    {
        // A permanent AWS admin asks for 2 hours of admin.
        await _harness.Embedded.AddToGroupAsync("erin", "app-aws-admins");
        var run = await GrantAsync("aws", "2h");
        var granted = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessGranted);
        Assert.Equal("true", granted.Get("alreadyMember"));

        await _harness.RestartAsync();
        _harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await _harness.Get<RevocationService>().RevokeDueAsync());

        Assert.Equal(["erin"], _harness.Embedded.Members("app-aws-admins"));
        var ended = Assert.Single(await _harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal(("revoked", RevocationService.Standing), (ended.Get(EventData.Outcome), ended.Get("keptBy")));
        Assert.Null(ended.Get("keptUntil"));
        Assert.Equal("You keep the access you had before this request.", Assert.Single(await EndedMessagesAsync(run.Ticket)).Card.Text);
        var grant = Assert.Single(await _harness.Grants.AllAsync());
        Assert.Equal((AccessGrantState.Revoked, (bool?)true), (grant.State, grant.AlreadyMember));
        Assert.Empty(await _harness.Get<RevocationService>().OverdueAsync());
    }

    [Fact]
    public async Task A_grant_stored_before_the_already_member_flag_is_revoked_as_before()
    {
        var old = await GrantAsync("aws", "2h");
        await ForgetAlreadyMemberAsync(_harness);
        Assert.Null(Assert.Single(await _harness.Grants.AllAsync()).AlreadyMember);

        // A later request while the old grant holds the membership: that membership is the grant's, not standing.
        var later = await GrantAsync("aws", "1d");
        var laterGranted = Assert.Single(await _harness.EventsAsync(later.Ticket), e => e.Type == EventType.AccessGranted);
        Assert.Equal("false", laterGranted.Get("alreadyMember"));

        _harness.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(2, await _harness.Get<RevocationService>().RevokeDueAsync());

        Assert.Empty(_harness.Embedded.Members("app-aws-admins"));
        Assert.All(await _harness.Grants.AllAsync(), g => Assert.Equal(AccessGrantState.Revoked, g.State));
        Assert.DoesNotContain(await _harness.EventsAsync(later.Ticket), e => e.Type == EventType.AccessRevoked && e.Get("keptBy") is not null);
    }

    /// <summary>Makes the one stored grant look as the older version wrote it: no alreadyMember field at all.</summary>
    protected virtual Task ForgetAlreadyMemberAsync(AutomationHarness harness)
    {
        var grants = harness.Get<ItChatBot.Storage.LiteDb.LiteDbStore>().Database.GetCollection("access_grants");
        var doc = Assert.Single(grants.FindAll());
        Assert.True(doc.Remove("alreadyMember"));
        grants.Update(doc);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_grant_retried_after_a_crash_at_its_add_is_not_taken_for_standing_membership(bool addTookEffect)
    {
        // Graph keeps erin's membership of the group: memberOf answers from it, add and remove change it. The first
        // add fails with the process going down; when addTookEffect, Graph had already made erin a member (its answer was lost).
        using var graph = new FakeGraph();
        var member = false;
        var adds = 0;
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups").WithParam("$filter", "displayName eq 'app-aws-admins'").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = new[] { new { id = "g-aws", displayName = "app-aws-admins" } } }));
        graph.Server.Given(Request.Create().WithPath("/v1.0/users/u-erin/memberOf").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Json(member ? ["g-aws"] : [])));
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups/g-aws/members/$ref").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                var first = ++adds == 1;
                member |= !first || addTookEffect;
                return new WireMock.ResponseMessage { StatusCode = first ? 500 : 204 };
            }));
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups/g-aws/members/u-erin/$ref").UsingDelete())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                member = false;
                return new WireMock.ResponseMessage { StatusCode = 204 };
            }));
        await using var harness = await StartHarnessAsync(graph.Settings);
        var run = await harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "aws", ["duration"] = "2h" });
        await harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await harness.Engine.ContinueAsync(run.Id);
        Assert.Equal((WorkflowRunStatus.Running, 1), ((await harness.RunAsync(run.Id)).Status, adds));
        Assert.Equal((bool?)false, Assert.Single(await harness.Grants.AllAsync()).AlreadyMember);

        await harness.RestartAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        await harness.Engine.ResumeDueAsync();

        Assert.Equal((WorkflowRunStatus.Completed, 2, true), ((await harness.RunAsync(run.Id)).Status, adds, member));
        var grant = Assert.Single(await harness.Grants.AllAsync());
        Assert.Equal((bool?)false, grant.AlreadyMember);
        var granted = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessGranted);
        Assert.Equal("false", granted.Get("alreadyMember"));
        // Checked once, before the first add; the retry reused the recorded answer.
        Assert.Equal(1, graph.Count("GET", "/v1.0/users/u-erin/memberOf"));

        harness.Clock.Advance(grant.ExpiresAt - harness.Clock.GetUtcNow());
        Assert.Equal(1, await harness.Get<RevocationService>().RevokeDueAsync());

        Assert.False(member);
        Assert.Equal(1, graph.Count("DELETE", "/v1.0/groups/g-aws/members/u-erin/$ref"));
        var revoked = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal(("revoked", (string?)null), (revoked.Get(EventData.Outcome), revoked.Get("keptBy")));
    }

    [Fact]
    public async Task A_member_only_through_a_nested_group_is_not_a_standing_member_and_loses_the_added_membership_at_expiry()
    {
        // Graph: erin is in app-aws-admins through a group nested in it, so the transitive checkMemberGroups says yes and her
        // direct memberOf (filtered by the group's id, as an advanced query) says no.
        using var graph = new FakeGraph();
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups").WithParam("$filter", "displayName eq 'app-aws-admins'").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = new[] { new { id = "g-aws", displayName = "app-aws-admins" } } }));
        graph.Server.Given(Request.Create().WithPath("/v1.0/users/u-erin/checkMemberGroups").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Json(["g-aws"])));
        graph.Server.Given(Request.Create().WithPath("/v1.0/users/u-erin/memberOf").UsingGet()
                .WithParam("$filter", "id in ('g-aws')").WithParam("$count", "true").WithHeader("ConsistencyLevel", "eventual"))
            .RespondWith(Response.Create().WithCallback(_ => Json([])));
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups/g-aws/members/$ref").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(204));
        graph.Server.Given(Request.Create().WithPath("/v1.0/groups/g-aws/members/u-erin/$ref").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(204));
        await using var harness = await StartHarnessAsync(graph.Settings);
        var run = await harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "aws", ["duration"] = "2h" });
        await harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await harness.Engine.ContinueAsync(run.Id);

        var grant = Assert.Single(await harness.Grants.AllAsync());
        Assert.Equal((bool?)false, grant.AlreadyMember);
        harness.Clock.Advance(grant.ExpiresAt - harness.Clock.GetUtcNow());
        Assert.Equal(1, await harness.Get<RevocationService>().RevokeDueAsync());

        Assert.Equal(1, graph.Count("DELETE", "/v1.0/groups/g-aws/members/u-erin/$ref"));
        var revoked = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal(("revoked", (string?)null), (revoked.Get(EventData.Outcome), revoked.Get("keptBy")));
    }

    private static WireMock.ResponseMessage Json(string[] groupIds) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new WireMock.Util.BodyData
        {
            BodyAsString = System.Text.Json.JsonSerializer.Serialize(new { value = groupIds }),
            DetectedBodyType = WireMock.Types.BodyType.String,
        },
    };

    [Fact]
    public async Task The_requested_duration_is_capped_and_a_missing_one_takes_the_default()
    {
        var capped = await GrantAsync("github", "30d");
        var defaulted = await GrantAsync("jira", null);

        var grants = await _harness.Grants.AllAsync();
        Assert.Equal(_harness.Clock.GetUtcNow() + TimeSpan.FromDays(7), grants.Single(g => g.RunId == capped.Id).ExpiresAt);
        Assert.Equal(_harness.Clock.GetUtcNow() + TimeSpan.FromDays(1), grants.Single(g => g.RunId == defaulted.Id).ExpiresAt);
    }

    [Fact]
    public async Task A_revocation_that_fails_is_recorded_retried_and_shown_as_overdue()
    {
        using var okta = WireMockServer.Start();
        okta.Given(Request.Create().WithPath("/api/v1/users/erin@example.com").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "00u1", profile = new { email = "erin@example.com" } }));
        okta.Given(Request.Create().WithPath("/api/v1/groups").WithParam("q", "app-azure-admins").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new[] { new { id = "00g1", profile = new { name = "app-azure-admins" } } }));
        okta.Given(Request.Create().WithPath("/api/v1/users/00u1/groups").UsingGet()).RespondWith(Response.Create().WithBodyAsJson(Array.Empty<object>()));
        okta.Given(Request.Create().WithPath("/api/v1/groups/00g1/users/00u1").UsingPut()).RespondWith(Response.Create().WithStatusCode(204));
        okta.Given(Request.Create().WithPath("/api/v1/groups/00g1/users/00u1").UsingDelete()).RespondWith(Response.Create().WithStatusCode(500).WithBody("okta is down"));
        await using var harness = await StartHarnessAsync(new Dictionary<string, string?>
        {
            ["Automation:Directory:Provider"] = "okta",
            ["Automation:Okta:BaseUrl"] = okta.Url,
            ["Automation:Okta:ApiToken"] = "t",
        });
        var run = await harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "azure", ["duration"] = "1h" });
        await harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await harness.Engine.ContinueAsync(run.Id);
        Assert.Equal("00u1", Assert.Single(await harness.Grants.AllAsync()).UserId);

        harness.Clock.Advance(TimeSpan.FromHours(1));
        var revocations = harness.Get<RevocationService>();
        Assert.Equal(0, await revocations.RevokeDueAsync());
        var failed = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.AccessRevoked);
        Assert.Equal("failed", failed.Get(EventData.Outcome));
        Assert.Contains("okta is down", failed.Get(EventData.Error), StringComparison.Ordinal);
        Assert.Empty(await revocations.OverdueAsync());

        harness.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await revocations.RevokeDueAsync());
        var overdue = Assert.Single(await revocations.OverdueAsync());
        Assert.Equal((2, AccessGrantState.Active), (overdue.RevokeAttempts, overdue.State));
        Assert.Equal(2, (await harness.EventsAsync(run.Ticket)).Count(e => e.Type == EventType.AccessRevoked && e.Get(EventData.Outcome) == "failed"));
        Assert.Equal(2, okta.LogEntries.Count(e => e.RequestMessage.Method == "DELETE"));
    }
}
