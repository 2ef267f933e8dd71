using ItChatBot.Automation.Connectors;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>What every <see cref="IApplicationCatalog"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class ApplicationCatalogContract : IAsyncLifetime
{
    protected IApplicationCatalog Catalog { get; private set; } = null!;

    protected abstract Task<IApplicationCatalog> CreateCatalogAsync();

    public async Task InitializeAsync() => Catalog = await CreateCatalogAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public void An_empty_catalog_starts_with_the_common_applications_by_id()
    {
        Assert.Equal(ApplicationCatalog.Defaults().Select(a => a.Id).Order(StringComparer.Ordinal), Catalog.All.Select(a => a.Id));
        var github = Catalog.All.Single(a => a.Id == "github");
        Assert.Equal(("GitHub", "app-github-users", "app-github-admins"), (github.Name, github.Group, github.AdminGroup));
        Assert.Equal(["gh", "git hub"], github.Aliases);
    }

    [Theory]
    [InlineData("github", "github")]
    [InlineData("GitHub", "github")]
    [InlineData("GH", "github")]
    [InlineData("amazon web services", "aws")]
    [InlineData("excel", "office")]
    [InlineData("notepad", null)]
    public void An_application_is_found_by_its_id_name_or_alias_ignoring_case(string name, string? id) =>
        Assert.Equal(id, Catalog.Find(name)?.Id);

    [Fact]
    public async Task An_upserted_application_is_added_or_replaced()
    {
        await Catalog.UpsertAsync(new Application { Id = "miro", Name = "Miro", Aliases = ["whiteboard"], Group = "app-miro-users" });
        await Catalog.UpsertAsync(new Application { Id = "github", Name = "GitHub Enterprise", Aliases = ["ghe"], Group = "gh-users", AdminGroup = null });

        Assert.Equal("miro", Catalog.Find("Whiteboard")?.Id);
        var github = Catalog.Find("ghe");
        Assert.Equal(("GitHub Enterprise", "gh-users", (string?)null), (github?.Name, github?.Group, github?.AdminGroup));
        Assert.Null(Catalog.Find("gh"));
        Assert.Equal(ApplicationCatalog.Defaults().Count + 1, Catalog.All.Count);
    }
}
