namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>Every engine test again, with the automation's stores in PostgreSQL (the DI switch on a registered PostgresDatabase).</summary>
public sealed class PostgresEngineTests : EngineTests
{
    protected override Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null) =>
        AutomationHarness.StartOnPostgresAsync(settings, workflowsFolder);

    // The harness keeps the outbox in the LiteDB file (the outbox is not the automation's store), while a run saved with
    // its receipt queues the receipt in PostgreSQL's, in the run's transaction: the two outbox tests cannot read both.
    // WorkflowRunStoreContract checks the same (queued with the run, or neither) on each store.
    [Fact(Skip = "Outbox in the LiteDB file here; see WorkflowRunStoreContract.A_run_saved_with_messages_queues_them_in_the_same_write")]
    public override Task A_run_started_with_a_receipt_sends_the_receipt_before_its_own_messages() => Task.CompletedTask;

    [Fact(Skip = "Outbox in the LiteDB file here; see WorkflowRunStoreContract.A_run_whose_messages_cannot_be_queued_is_not_saved")]
    public override Task A_run_and_its_receipt_are_stored_in_one_write_so_a_failed_write_leaves_neither() => Task.CompletedTask;
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
