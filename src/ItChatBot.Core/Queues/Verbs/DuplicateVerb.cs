using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>
/// Agents: resolve a ticket as a duplicate of another open one of the team (<see cref="Duplicates"/>); its requester is
/// told now, and again when the other is resolved.
/// </summary>
public sealed class DuplicateVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "duplicate";

    public string Usage => "/it duplicate KEY of OTHER (e.g. /it duplicate IT-43 of IT-40)";

    public string Summary => "Agents: resolve a ticket as a duplicate of another; its requester hears when the other is resolved.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, rest) = VerbArguments.KeyAndRest(arguments, Usage);
        if (rest.StartsWith("of ", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[3..].Trim();
        }

        if (rest.Length == 0)
        {
            throw new UsageException("A duplicate of which ticket?", Usage);
        }

        var (original, extra) = VerbArguments.KeyAndRest(rest, Usage);
        if (extra.Length > 0)
        {
            throw new UsageException($"'{extra}' was not expected after {original}.", Usage);
        }

        return desk.DuplicateAsync(turn, key, original, cancellationToken);
    }
}
