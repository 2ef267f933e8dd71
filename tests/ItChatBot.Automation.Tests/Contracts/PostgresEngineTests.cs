namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>Every engine test again, on the PostgreSQL store (the automation's stores chosen by the registered PostgresDatabase).</summary>
public sealed class PostgresEngineTests : EngineTests
{
    protected override Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null) =>
        AutomationHarness.StartOnPostgresAsync(settings, workflowsFolder);
}

/// <summary>Every access grant test again (grants, revocation after a restart, standing memberships), on PostgreSQL stores.</summary>
public sealed class PostgresAccessGrantTests : AccessGrantTests
{
    protected override Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null) =>
        AutomationHarness.StartOnPostgresAsync(settings, workflowsFolder);

    /// <summary>The grant's JSON as a version without the flag would have written it.</summary>
    protected override async Task ForgetAlreadyMemberAsync(AutomationHarness harness)
    {
        await using var db = new ItChatBot.Storage.Postgres.PostgresDatabase(harness.PostgresConnectionString!);
        var changed = await db.WriteAsync((c, tx) => ItChatBot.Storage.Postgres.PostgresDatabase.Execute(
            c, tx, "update access_grants set json = (json::jsonb - 'alreadyMember')::text where json::jsonb ? 'alreadyMember'", default));
        Assert.Equal(1, changed);
    }
}

/// <summary>Every durable run test again (resume after a crash repeats no completed side effect; retries), on PostgreSQL stores.</summary>
public sealed class PostgresDurableRunTests : DurableRunTests
{
    protected override Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?> settings, string workflowsFolder) =>
        AutomationHarness.StartOnPostgresAsync(settings, workflowsFolder);
}
