using ItChatBot.Automation.Connectors;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class LiteDbApplicationCatalogTests : ApplicationCatalogContract
{
    private readonly LiteDbBackend _backend = new();

    protected override Task<IApplicationCatalog> CreateCatalogAsync() => Task.FromResult<IApplicationCatalog>(new ApplicationCatalog(_backend.Store));

    public override Task DisposeAsync()
    {
        _backend.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresApplicationCatalogTests : ApplicationCatalogContract
{
    private PostgresBackend _backend = null!;

    protected override async Task<IApplicationCatalog> CreateCatalogAsync()
    {
        _backend = await PostgresBackend.CreateAsync();
        return new PostgresApplicationCatalog(_backend.Db);
    }

    public override async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Instances_starting_together_seed_the_catalog_once_and_see_each_others_changes_at_once()
    {
        var (db, _) = await _backend.OtherInstanceAsync("second");
        var second = new PostgresApplicationCatalog(db);

        var counts = await Task.WhenAll(Task.Run(() => Catalog.All.Count), Task.Run(() => second.All.Count));
        Assert.Equal([ApplicationCatalog.Defaults().Count, ApplicationCatalog.Defaults().Count], counts);

        await second.UpsertAsync(new Application { Id = "miro", Name = "Miro", Group = "app-miro-users" });
        Assert.Equal("app-miro-users", Catalog.Find("miro")?.Group);
    }
}
