using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Reopens a resolved ticket (its team's agents; its requester within the reopen window).</summary>
public sealed class ReopenVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "reopen";

    public string Usage => "/it reopen KEY [why] (e.g. /it reopen IT-42)";

    public string Summary => "Reopens a resolved ticket (its team's agents; its requester within the reopen window).";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, note) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        await desk.ReopenAsync(turn, key, note, cancellationToken);
    }
}
