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
    /// <summary>Under an agent's own requests: these are the ones they asked for, not the ones they work on.</summary>
    public const string AssignedHint = "These are requests you made; the tickets assigned to you are /it mine.";

    public async Task<Card> CardAsync(string person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await store.QueryAsync(new TicketQuery { Requester = person, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        var resolved = await store.QueryAsync(new TicketQuery { Requester = person, ResolvedSince = now - TicketCards.RecentlyResolved, Limit = int.MaxValue }, cancellationToken);
        var card = TicketCards.OpenRequests(open, await directory.AssigneeNamesAsync(open, cancellationToken), resolved);
        // An agent who asks for "my tickets" may mean the ones they work on: say where those are.
        var agent = await directory.FindAsync(person, cancellationToken) is { } p && p.HasRole(Roles.Agent) && p.Teams.Count > 0;
        return agent ? card with { Context = $"{card.Context} {AssignedHint}".TrimStart() } : card;
    }
}
