using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>
/// <c>/it mine</c>: the open tickets assigned to you. Someone who is no agent has nothing assigned and means their own
/// requests ("my tickets"), so that is what they get, as <c>/it status</c> alone answers.
/// </summary>
public sealed class MineVerb(ITicketStore store, QueueBoard board, MyRequests requests) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "mine";

    public string Usage => "/it mine";

    public string Summary => "Agents: the open tickets assigned to you.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Trim().Length > 0)
        {
            throw new UsageException($"'{arguments.Trim()}' was not expected.", Usage);
        }

        if (!turn.Person.HasRole(Roles.Agent) || turn.Person.Teams.Count == 0)
        {
            turn.ReplyEphemeral(await requests.CardAsync(turn.Person.Id, turn.Now, cancellationToken));
            return;
        }

        var mine = await store.QueryAsync(new TicketQuery { Assignee = turn.Person.Id, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        turn.ReplyEphemeral(await board.TableAsync("Assigned to you", mine, "Nothing is assigned to you.", cancellationToken));
    }
}
