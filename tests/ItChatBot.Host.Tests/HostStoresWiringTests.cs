using ItChatBot.Core.Kpi;
using ItChatBot.Core.Queues;
using ItChatBot.Host.Files;
using ItChatBot.Host.Kpi;
using ItChatBot.Host.Queues;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Teams;
using ItChatBot.Teams.Storage;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Host.Tests;

/// <summary>
/// The queues', check-ins', file links' and Teams references' stores are PostgreSQL's when <see cref="PostgresDatabase"/>
/// is registered, and then the LiteDB file is never opened; without it they are the LiteDB file's, as before.
/// </summary>
public sealed class HostStoresWiringTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Teams:AppId"] = "00000000-0000-0000-0000-000000000001",
        ["Teams:AppPassword"] = "secret",
    }).Build();

    [Fact]
    public async Task With_postgres_registered_every_store_is_postgres_and_the_litedb_file_is_never_resolved()
    {
        var services = Services();
        // Never connected to: the stores only keep it.
        services.AddSingleton(new PostgresDatabase("Host=127.0.0.1;Port=1;Database=unused"));
        services.AddSingleton<LiteDbStore>(_ => throw new InvalidOperationException("the LiteDB file was resolved under Postgres"));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<PostgresQueueStore>(provider.GetRequiredService<IQueueStore>());
        Assert.IsType<PostgresCheckinStore>(provider.GetRequiredService<ICheckinStore>());
        Assert.IsType<PostgresFileStore>(provider.GetRequiredService<IFileStore>());
        Assert.IsType<PostgresSecretStore>(provider.GetRequiredService<ISecretStore>());
        Assert.NotNull(provider.GetRequiredService<FileLinkSigner>());
        Assert.IsType<PostgresConversationReferences>(provider.GetRequiredService<IConversationReferences>());
    }

    [Fact]
    public async Task Without_postgres_every_store_is_the_litedb_files()
    {
        using var folder = new TempFolder();
        var services = Services();
        services.AddSingleton(_ => new LiteDbStore(folder.File("data.db")));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<LiteDbQueueStore>(provider.GetRequiredService<IQueueStore>());
        Assert.IsType<LiteDbCheckinStore>(provider.GetRequiredService<ICheckinStore>());
        Assert.IsType<LiteDbFileStore>(provider.GetRequiredService<IFileStore>());
        Assert.IsType<LiteDbSecretStore>(provider.GetRequiredService<ISecretStore>());
        Assert.IsType<LiteDbConversationReferences>(provider.GetRequiredService<IConversationReferences>());
    }

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddQueueStorage(Settings);
        services.AddItChatBotKpi(Settings);
        services.AddFileLinks(Settings);
        services.AddItChatBotTeams(Settings);
        return services;
    }
}
