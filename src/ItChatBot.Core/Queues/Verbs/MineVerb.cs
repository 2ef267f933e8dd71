using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary><c>/it mine</c>: the open tickets assigned to you.</summary>
public sealed class MineVerb(ITicketStore store, QueueBoard board) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "mine";

    public string Usage => "/it mine";

    public string Summary => "Agents: the open tickets assigned to you.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        AgentGuard.EnsureAgent(turn.Person, "have tickets assigned");
        if (arguments.Trim().Length > 0)
        {
            throw new UsageException($"'{arguments.Trim()}' was not expected.", Usage);
        }

        var mine = await store.QueryAsync(new TicketQuery { Assignee = turn.Person.Id, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        turn.ReplyEphemeral(await board.TableAsync("Assigned to you", mine, "Nothing is assigned to you.", cancellationToken));
    }
}
