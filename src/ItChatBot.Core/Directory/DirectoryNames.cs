using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Directory;

/// <summary>How cards name people: by the directory's display name, not by the id a ticket stores.</summary>
public static class DirectoryNames
{
    /// <summary>The person's display name, or the id itself when the directory has no one by it (or no name for them).</summary>
    public static async Task<string> NameOfAsync(this IDirectory directory, string personId, CancellationToken cancellationToken = default) =>
        NameOf(await directory.FindAsync(personId, cancellationToken), personId);

    /// <summary>The same for a person already looked up: <paramref name="person"/>'s display name, else <paramref name="personId"/>.</summary>
    public static string NameOf(Person? person, string personId) => person?.DisplayName is { Length: > 0 } name ? name : personId;

    /// <summary>The ticket's assignee as cards name them, or null when nobody is assigned.</summary>
    public static async Task<string?> AssigneeNameAsync(this IDirectory directory, Ticket ticket, CancellationToken cancellationToken = default) =>
        ticket.Assignee is { } assignee ? await directory.NameOfAsync(assignee, cancellationToken) : null;

    /// <summary>The names of the tickets' assignees by id, each looked up once (for a table of tickets).</summary>
    public static Task<IReadOnlyDictionary<string, string>> AssigneeNamesAsync(this IDirectory directory, IEnumerable<Ticket> tickets, CancellationToken cancellationToken = default) =>
        directory.NamesAsync(tickets.Select(t => t.Assignee).OfType<string>(), cancellationToken);

    /// <summary>The names of these people by id, each looked up once (for a table that lists people).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> NamesAsync(this IDirectory directory, IEnumerable<string> personIds, CancellationToken cancellationToken = default)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in personIds.Distinct(StringComparer.Ordinal))
        {
            names[id] = await directory.NameOfAsync(id, cancellationToken);
        }

        return names;
    }
}
