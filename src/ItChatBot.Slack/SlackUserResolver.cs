using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Slack.WebApi;

namespace ItChatBot.Slack;

/// <summary>
/// Maps a Slack user the directory does not know yet: <c>users.info</c> gives the e-mail, and the directory person
/// with that e-mail is the one (the router then remembers the Slack id on them). Someone the directory lacks is
/// created as an employee with their Slack name and e-mail.
/// </summary>
public sealed class SlackUserResolver(SlackApiClient api, IDirectory directory) : IPlatformUserResolver
{
    public string Channel => Core.Conversations.Channels.Slack;

    public async Task<Person?> ResolveAsync(string platformUserId, CancellationToken cancellationToken)
    {
        SlackUser user;
        try
        {
            user = await api.UserInfoAsync(platformUserId, cancellationToken);
        }
        catch (SlackApiException)
        {
            // Without users.info the request still goes through; the person is known by their Slack id.
            return null;
        }

        if (user.Email is { } email && await directory.FindByEmailAsync(email, cancellationToken) is { } known)
        {
            return known;
        }

        return new Person
        {
            Id = $"{Channel}:{platformUserId}",
            DisplayName = user.RealName ?? user.Name,
            Email = user.Email ?? "",
        };
    }
}
