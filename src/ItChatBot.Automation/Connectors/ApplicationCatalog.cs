using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// The application catalog of the embedded directory (collection <c>dir_applications</c>), seeded with common
/// applications when empty. Slot extraction reads it from memory; it is small and changes rarely, and this process is the
/// file's only writer, so the copy in memory is never stale. (Not so under PostgreSQL: <see cref="PostgresApplicationCatalog"/>.)
/// </summary>
public sealed class ApplicationCatalog : IApplicationCatalog
{
    private const string Collection = "dir_applications";
    private readonly LiteDbStore _store;
    private volatile IReadOnlyList<Application> _all;

    public ApplicationCatalog(LiteDbStore store)
    {
        _store = store;
        var col = store.Database.GetCollection(Collection);
        if (col.Count() == 0)
        {
            col.InsertBulk(Defaults().Select(ToDoc));
        }

        _all = Load();
    }

    public IReadOnlyList<Application> All => _all;

    public Application? Find(string idOrName) =>
        _all.FirstOrDefault(a => a.Names.Any(n => string.Equals(n, idOrName, StringComparison.OrdinalIgnoreCase)));

    public async Task UpsertAsync(Application application)
    {
        await _store.WriteAsync(db => db.GetCollection(Collection).Upsert(ToDoc(application)));
        _all = Load();
    }

    private List<Application> Load() => [.. _store.Database.GetCollection(Collection).FindAll().Select(FromDoc).OrderBy(a => a.Id, StringComparer.Ordinal)];

    public static IReadOnlyList<Application> Defaults() =>
    [
        App("github", "GitHub", ["gh", "git hub"]),
        App("jira", "Jira", ["jira software"]),
        App("confluence", "Confluence", ["wiki"]),
        App("salesforce", "Salesforce", ["sfdc"]),
        App("figma", "Figma", []),
        App("aws", "AWS Console", ["aws", "amazon web services"]),
        App("azure", "Azure Portal", ["azure"]),
        App("slack", "Slack", []),
        App("zoom", "Zoom", []),
        App("tableau", "Tableau", []),
        App("workday", "Workday", []),
        App("netsuite", "NetSuite", ["net suite"]),
        App("servicenow", "ServiceNow", ["snow"]),
        App("datadog", "Datadog", ["data dog"]),
        App("vscode", "Visual Studio Code", ["vs code", "vscode"]),
        App("adobe", "Adobe Creative Cloud", ["photoshop", "adobe"]),
        App("office", "Microsoft Office", ["office", "excel", "word", "powerpoint"]),
        App("docker", "Docker Desktop", ["docker"]),
        // Local admin on the person's own computer: the admin group is the one device management (Intune, Jamf) makes
        // local administrators of; temporary-admin uses it for "admin rights on my laptop" (its device_application). No
        // alias: "local admin" must stay in the text for the classifier, and "workstation" names a device, not this.
        App("local-admin", "Workstation (local admin)", []),
    ];

    private static Application App(string id, string name, IReadOnlyList<string> aliases) =>
        new() { Id = id, Name = name, Aliases = aliases, Group = $"app-{id}-users", AdminGroup = $"app-{id}-admins" };

    private static BsonDocument ToDoc(Application a) => new()
    {
        ["_id"] = a.Id,
        ["name"] = a.Name,
        ["aliases"] = new BsonArray(a.Aliases.Select(x => new BsonValue(x))),
        ["group"] = a.Group,
        ["adminGroup"] = a.AdminGroup is null ? BsonValue.Null : a.AdminGroup,
    };

    private static Application FromDoc(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        Name = d["name"].AsString,
        Aliases = [.. d["aliases"].AsArray.Select(v => v.AsString)],
        Group = d["group"].AsString,
        AdminGroup = d["adminGroup"].IsNull ? null : d["adminGroup"].AsString,
    };
}
