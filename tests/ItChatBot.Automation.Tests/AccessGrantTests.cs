using ItChatBot.Automation.Access;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Automation.Tests;

public sealed class AccessGrantTests : IAsyncLifetime
{
    private AutomationHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AutomationHarness.StartAsync();

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
        var grant = Assert.Single(await _harness.Grants.AllAsync());
        Assert.Equal(AccessGrantState.Revoked, grant.State);
        Assert.Equal(_harness.Clock.GetUtcNow(), grant.RevokedAt);
        Assert.Empty(await _harness.Get<RevocationService>().OverdueAsync());
    }

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
        await GrantAsync("azure", "1h");
        var grant = Assert.Single(await _harness.Grants.AllAsync());
        // The directory loses the person: the removal cannot reach them, so the revocation must not count as done.
        await _harness.Grants.SaveAsync(grant with { UserId = "erin", Group = "app-azure-admins" });
        await using var failing = await AutomationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Automation:Directory:Provider"] = "okta",
            ["Automation:Okta:BaseUrl"] = "http://127.0.0.1:9/",
            ["Automation:Okta:ApiToken"] = "t",
        });
        var store = failing.Grants;
        await store.AddOnceAsync(grant with { Ticket = grant.Ticket });
        var ticket = await failing.OpenTicketAsync("temporary-admin");
        await store.SaveAsync(grant with { Ticket = ticket.Key });

        failing.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await failing.Get<RevocationService>().RevokeDueAsync());
        var failed = Assert.Single(await failing.EventsAsync(ticket.Key), e => e.Type == EventType.AccessRevoked);
        Assert.Equal("failed", failed.Get(EventData.Outcome));
        Assert.Empty(await failing.Get<RevocationService>().OverdueAsync());

        failing.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await failing.Get<RevocationService>().RevokeDueAsync());
        var overdue = Assert.Single(await failing.Get<RevocationService>().OverdueAsync());
        Assert.Equal(2, overdue.RevokeAttempts);
        Assert.Equal(2, (await failing.EventsAsync(ticket.Key)).Count(e => e.Type == EventType.AccessRevoked && e.Get(EventData.Outcome) == "failed"));
    }
}
