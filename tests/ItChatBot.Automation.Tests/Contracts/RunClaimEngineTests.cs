using ItChatBot.Automation.Access;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Workflows;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class RunClaimEngineTests
{
    [Fact]
    public async Task The_engine_leaves_a_run_another_instance_is_advancing_and_that_instance_is_asked_for_another_pass()
    {
        await using var harness = await AutomationHarness.StartOnPostgresAsync();
        var run = await harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "aws", ["duration"] = "2h" });
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, run.Status);
        await using var otherDb = new PostgresDatabase(harness.PostgresConnectionString!);
        await using var other = new PostgresInstance(otherDb, "other");
        var otherRuns = new PostgresWorkflowRunStore(otherDb, other);
        Assert.True(await otherRuns.TryClaimAsync(run.Id));

        await harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await harness.Engine.ContinueAsync(run.Id);

        Assert.Equal(WorkflowRunStatus.WaitingForApproval, (await harness.RunAsync(run.Id)).Status);
        Assert.Empty(await harness.Get<IAccessGrantStore>().AllAsync());
        Assert.False(await otherRuns.ReleaseAsync(run.Id), "the engine asked the holder for another pass");
        Assert.True(await otherRuns.ReleaseAsync(run.Id));

        await harness.Engine.ContinueAsync(run.Id);

        Assert.Equal(WorkflowRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
        Assert.Single(await harness.Get<IAccessGrantStore>().AllAsync());
        Assert.True(await otherRuns.TryClaimAsync(run.Id), "the engine released the run when it was done");
    }

    [Fact]
    public async Task The_engine_takes_over_a_run_whose_instance_stopped_mid_pass()
    {
        await using var harness = await AutomationHarness.StartOnPostgresAsync();
        var run = await harness.StartAsync("temporary-admin", new Dictionary<string, string> { ["application"] = "aws", ["duration"] = "2h" });
        await using var otherDb = new PostgresDatabase(harness.PostgresConnectionString!);
        var crashed = new PostgresInstance(otherDb, "crashed");
        Assert.True(await new PostgresWorkflowRunStore(otherDb, crashed).TryClaimAsync(run.Id));
        await crashed.DisposeAsync();

        await harness.Get<IApprovalGate>().DecideAsync(new ApprovalRequest(run.Ticket, run.Id, 0, "erin", new ApproverSpec(true, "Security")), "dave", true, null);
        await harness.Engine.ResumeDueAsync();

        Assert.Equal(WorkflowRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
        Assert.Equal(["erin"], harness.Embedded.Members("app-aws-admins"));
    }
}
