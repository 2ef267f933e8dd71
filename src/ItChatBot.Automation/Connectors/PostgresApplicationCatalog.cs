using System.Text.Json;
using ItChatBot.Automation.Postgres;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// The application catalog in PostgreSQL (table <c>dir_applications</c>). Unlike <see cref="ApplicationCatalog"/>, it keeps
/// no copy in memory: another instance may add or change an application at any time, so each read asks the table (it is
/// small). Reads are synchronous because the catalog's callers (slot extraction) are.
/// </summary>
public sealed class PostgresApplicationCatalog(PostgresDatabase db) : IApplicationCatalog
{
    private int _seeded;

    public IReadOnlyList<Application> All
    {
        get
        {
            EnsureSeeded();
            using var connection = db.DataSource.OpenConnection();
            return Pg.Query(connection, null, "select json from dir_applications order by id collate \"C\"", r => JsonSerializer.Deserialize<Application>(r.GetString(0), Rows.Json)!);
        }
    }

    public Application? Find(string idOrName) =>
        All.FirstOrDefault(a => a.Names.Any(n => string.Equals(n, idOrName, StringComparison.OrdinalIgnoreCase)));

    public async Task UpsertAsync(Application application)
    {
        EnsureSeeded();
        await db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
            "insert into dir_applications (id, json) values (@id, @json) on conflict (id) do update set json = excluded.json",
            CancellationToken.None, ("id", application.Id), ("json", JsonSerializer.Serialize(application, Rows.Json))));
    }

    /// <summary>
    /// Seeds the defaults into an empty catalog, once per process, the check and the insert under an advisory lock so two
    /// instances starting together seed it once (the flag in memory only saves the query: an emptied catalog stays empty,
    /// as in the LiteDB file, where seeding happens once at start).
    /// </summary>
    private void EnsureSeeded()
    {
        if (Volatile.Read(ref _seeded) == 1)
        {
            return;
        }

        using var connection = db.DataSource.OpenConnection();
        using var tx = connection.BeginTransaction();
        Pg.Query(connection, tx, "select pg_advisory_xact_lock(@key)", _ => 0, ("key", PostgresDatabase.KeyOf("dir_applications")));
        if (Pg.Query(connection, tx, "select count(*) from dir_applications", r => r.GetInt64(0))[0] == 0)
        {
            foreach (var app in ApplicationCatalog.Defaults())
            {
                Pg.Query(connection, tx, "insert into dir_applications (id, json) values (@id, @json)", _ => 0,
                    ("id", app.Id), ("json", JsonSerializer.Serialize(app, Rows.Json)));
            }
        }

        tx.Commit();
        Volatile.Write(ref _seeded, 1);
    }
}
