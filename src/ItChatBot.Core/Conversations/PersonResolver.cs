using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// Maps a platform user to a directory person: the stored mapping, then the channel's resolver
/// (which usually matches by e-mail), and otherwise a new employee, so nobody is turned away.
/// </summary>
public sealed class PersonResolver(IDirectory directory, IEnumerable<IPlatformUserResolver> resolvers)
{
    public async Task<Person> ResolveAsync(string channel, string platformUserId, CancellationToken cancellationToken)
    {
        if (channel is Channels.Web or Channels.Cli && await directory.FindAsync(platformUserId, cancellationToken) is { } local)
        {
            return local;
        }

        if (await directory.FindByPlatformIdAsync(channel, platformUserId, cancellationToken) is { } known)
        {
            return known;
        }

        var resolver = resolvers.FirstOrDefault(r => r.Channel == channel);
        var person = resolver is null ? null : await resolver.ResolveAsync(platformUserId, cancellationToken);
        person ??= new Person { Id = $"{channel}:{platformUserId}", DisplayName = platformUserId };
        person.PlatformIds[channel] = platformUserId;
        await directory.UpsertAsync(person, cancellationToken);
        return person;
    }
}
