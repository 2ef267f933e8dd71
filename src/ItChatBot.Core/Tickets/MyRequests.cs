using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// A person's own requests as they ask for them (<c>/it status</c> alone, and <c>/it mine</c> from someone who is no
/// agent): the open ones, and those resolved in the last <see cref="TicketCards.RecentlyResolved"/>.
/// </summary>
public sealed class MyRequests(ITicketStore store, IDirectory directory)
{
    public async Task<Card> CardAsync(string person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await store.QueryAsync(new TicketQuery { Requester = person, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        var resolved = await store.QueryAsync(new TicketQuery { Requester = person, ResolvedSince = now - TicketCards.RecentlyResolved, Limit = int.MaxValue }, cancellationToken);
        return TicketCards.OpenRequests(open, await directory.AssigneeNamesAsync(open, cancellationToken), resolved);
    }
}
