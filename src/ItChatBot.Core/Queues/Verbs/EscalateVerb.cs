using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: pass a ticket to the next tier, a given tier, or another team.</summary>
public sealed class EscalateVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "escalate";

    public string Usage => "/it escalate KEY [L2|L3|TEAM] (e.g. /it escalate IT-42 L2, /it escalate IT-42 Security)";

    public string Summary => "Agents: pass a ticket to the next tier, a given tier, or another team.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, target) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        if (target.Contains(' ', StringComparison.Ordinal))
        {
            throw new UsageException($"'{target}' is not one tier or team.", Usage);
        }

        await desk.EscalateAsync(turn, key, target, cancellationToken);
    }
}
