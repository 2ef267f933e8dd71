using ItChatBot.Automation.Access;
using ItChatBot.Automation.Chat;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class PostgresRegistrationTests
{
    [Fact]
    public async Task With_a_PostgresDatabase_registered_the_automation_stores_are_the_PostgreSQL_ones()
    {
        await using var harness = await AutomationHarness.StartOnPostgresAsync();

        Assert.IsType<PostgresWorkflowRunStore>(harness.Get<IWorkflowRunStore>());
        Assert.IsType<PostgresAccessGrantStore>(harness.Get<IAccessGrantStore>());
        Assert.IsType<PostgresPendingRequestStore>(harness.Get<IPendingRequestStore>());
        Assert.IsType<PostgresApplicationCatalog>(harness.Get<IApplicationCatalog>());
        Assert.IsType<PostgresEmbeddedDirectoryStore>(harness.Get<IEmbeddedDirectoryStore>());
    }

    [Fact]
    public async Task Without_one_they_are_the_LiteDB_ones()
    {
        await using var harness = await AutomationHarness.StartAsync();

        Assert.IsType<WorkflowRunStore>(harness.Get<IWorkflowRunStore>());
        Assert.IsType<AccessGrantStore>(harness.Get<IAccessGrantStore>());
        Assert.IsType<PendingRequestStore>(harness.Get<IPendingRequestStore>());
        Assert.IsType<ApplicationCatalog>(harness.Get<IApplicationCatalog>());
        Assert.IsType<LiteDbEmbeddedDirectoryStore>(harness.Get<IEmbeddedDirectoryStore>());
    }
}
