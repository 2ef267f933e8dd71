using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: put a ticket in another category of its team, when triage guessed wrong.</summary>
public sealed class CategoryVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "category";

    public string Usage => "/it category KEY CATEGORY (e.g. /it category IT-42 hardware)";

    public string Summary => "Agents: put a ticket in another category of its team; reports by category count it there.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, category) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        if (category.Length == 0)
        {
            throw new UsageException("Which category?", Usage);
        }

        if (category.Contains(' ', StringComparison.Ordinal))
        {
            throw new UsageException($"'{category}' is not one category.", Usage);
        }

        await desk.CategoryAsync(turn, key, category, cancellationToken);
    }
}
