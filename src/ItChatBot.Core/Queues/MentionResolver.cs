using System.Text.RegularExpressions;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Finds the person a verb names: <c>@alice</c> (a person id, as in the web chat) or a platform mention such as
/// Slack's <c>&lt;@U123&gt;</c> / <c>&lt;@U123|alice&gt;</c>, resolved through the directory's platform ids.
/// </summary>
public sealed partial class MentionResolver(IDirectory directory)
{
    public async Task<Person> ResolveAsync(string channel, string mention, CancellationToken cancellationToken)
    {
        var text = mention.Trim();
        Person? person;
        if (PlatformMention().Match(text) is { Success: true } match)
        {
            person = await directory.FindByPlatformIdAsync(channel, match.Groups["id"].Value, cancellationToken);
        }
        else if (text.StartsWith('@') && text.Length > 1)
        {
            person = await directory.FindAsync(text[1..], cancellationToken);
        }
        else
        {
            throw new DomainException($"'{text}' is not a mention; name the person as @id (e.g. @alice).");
        }

        return person ?? throw new DomainException($"Nobody in the directory is {text}.");
    }

    [GeneratedRegex(@"^<@(?<id>[A-Za-z0-9._-]+)(\|[^>]*)?>$")]
    private static partial Regex PlatformMention();
}
