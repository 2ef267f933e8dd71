using System.Text.Json;
using ItChatBot.Core.Directory;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// The embedded directory: people (read back whole from JSON) and their platform ids, in <c>people</c> and
/// <c>person_platform_ids</c> (Schema/0330-directory.sql). As in the LiteDB directory, a platform id stays linked to its
/// person when a later upsert leaves it out, and a later person with the same platform id takes the link over.
/// </summary>
public sealed class PostgresDirectory(PostgresDatabase db) : IDirectory
{
    public Task<Person?> FindAsync(string personId, CancellationToken cancellationToken = default) =>
        FindOneAsync("select json from people where id = @p", personId, cancellationToken);

    public Task<Person?> FindByPlatformIdAsync(string channel, string platformUserId, CancellationToken cancellationToken = default) =>
        FindOneAsync(
            "select p.json from person_platform_ids l join people p on p.id = l.person where l.key = @p",
            $"{channel}:{platformUserId}", cancellationToken);

    /// <remarks>Ignoring case as the LiteDB directory does; of several people with one address, the first by id.</remarks>
    public Task<Person?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        FindOneAsync("select json from people where email_lower = @p order by id collate \"C\" limit 1", email.ToLowerInvariant(), cancellationToken);

    public async Task<IReadOnlyList<Person>> ListAsync(CancellationToken cancellationToken = default)
    {
        var people = await db.ReadAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand("select json from people", connection);
                var found = new List<Person>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add(JsonSerializer.Deserialize<Person>(reader.GetString(0), Rows.Json)!);
                }

                return found;
            },
            cancellationToken);
        return [.. people.OrderBy(p => p.DisplayName, StringComparer.Ordinal)];
    }

    /// <remarks>The person and its links in one transaction; two instances upserting at once each write whole rows.</remarks>
    public Task UpsertAsync(Person person, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(person, Rows.Json);
        var email = person.Email.ToLowerInvariant();
        var links = person.PlatformIds.Select(p => $"{p.Key}:{p.Value}").ToArray();
        return db.WriteAsync(
            async (connection, tx) =>
            {
                await PostgresDatabase.Execute(
                    connection, tx,
                    "insert into people (id, email_lower, json) values (@id, @email, @json) on conflict (id) do update set email_lower = excluded.email_lower, json = excluded.json",
                    cancellationToken, ("id", person.Id), ("email", email), ("json", json));
                return await PostgresDatabase.Execute(
                    connection, tx,
                    "insert into person_platform_ids (key, person) select k, @id from unnest(@keys) as k on conflict (key) do update set person = excluded.person",
                    cancellationToken, ("id", person.Id), ("keys", links));
            },
            cancellationToken);
    }

    private Task<Person?> FindOneAsync(string sql, string value, CancellationToken cancellationToken) =>
        db.ReadAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("p", value);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? JsonSerializer.Deserialize<Person>(reader.GetString(0), Rows.Json) : null;
            },
            cancellationToken);
}
