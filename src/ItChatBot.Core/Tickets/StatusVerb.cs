using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// <c>/it status KEY</c>: the ticket's card, for its requester, its team's agents and leads, and admins. <c>/it status</c>
/// alone: the sender's own open requests, newest first (the "my requests" list of a service portal).
/// </summary>
public sealed class StatusVerb(TicketService tickets, Storage.ITicketStore store, IDirectory directory, TicketView view) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "status";

    public string Usage => "/it status [KEY] (e.g. /it status IT-42; alone, your open requests)";

    public string Summary => "Shows where a request stands; without a key, lists your open requests.";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var key = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (key is null)
        {
            var open = await store.QueryAsync(new Storage.TicketQuery { Requester = turn.Person.Id, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
            turn.ReplyEphemeral(TicketCards.OpenRequests(open, await directory.AssigneeNamesAsync(open, cancellationToken)));
            return;
        }

        if (!TicketKey.TryParse(key, out _))
        {
            throw new UsageException($"'{key}' is not a ticket key.", Usage);
        }

        var ticket = await tickets.GetAsync(key, cancellationToken);
        TicketAccess.EnsureCanView(turn.Person, ticket);
        turn.ReplyEphemeral(await view.CardForAsync(turn.Person, ticket, cancellationToken));
    }
}
