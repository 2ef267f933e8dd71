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

    [Fact(Skip = "A LiteDB document written by an older version; PostgreSQL grants always carry the flag (null when unknown, as the contract checks)")]
    public override Task A_grant_stored_before_the_already_member_flag_is_revoked_as_before() => Task.CompletedTask;
}

/// <summary>Every durable run test again (resume after a crash repeats no completed side effect; retries), on PostgreSQL stores.</summary>
public sealed class PostgresDurableRunTests : DurableRunTests
{
    protected override Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?> settings, string workflowsFolder) =>
        AutomationHarness.StartOnPostgresAsync(settings, workflowsFolder);
}
