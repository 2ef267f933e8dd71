using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Approvals;

/// <summary>Whether a person belongs to an approver group: a support team of that name in the directory, or the group in the identity system.</summary>
public static class GroupMembership
{
    public static async Task<bool> IsMemberAsync(IDirectory directory, IDirectoryConnector? connector, string personId, string group, CancellationToken cancellationToken)
    {
        var person = await directory.FindAsync(personId, cancellationToken);
        if (person is null)
        {
            return false;
        }

        if (person.Teams.Contains(group, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (connector is null)
        {
            return false;
        }

        // Fail closed: an identity system that cannot answer authorizes nobody.
        try
        {
            var user = await connector.FindUserAsync(string.IsNullOrEmpty(person.Email) ? person.Id : person.Email, cancellationToken);
            return user is not null && await connector.IsMemberAsync(user.Id, group, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
