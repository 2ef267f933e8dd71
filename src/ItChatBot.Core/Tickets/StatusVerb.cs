using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// <c>/it status KEY</c>: the ticket's card, for its requester, its team's agents and leads, and admins. <c>/it status</c>
/// alone: the sender's own open requests, newest first, and those resolved lately (the "my requests" list of a service
/// portal; <see cref="MyRequests"/>).
/// </summary>
public sealed class StatusVerb(ExistingRequests answers) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "status";

    public string Usage => "/it status [KEY] (e.g. /it status IT-42; alone, your open requests)";

    public string Summary => "Shows where a request stands; without a key, lists your open requests.";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var key = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (key is not null && !TicketKey.TryParse(key, out _))
        {
            throw new UsageException($"'{key}' is not a ticket key.", Usage);
        }

        await answers.AnswerStatusAsync(turn, key, cancellationToken);
    }
}
