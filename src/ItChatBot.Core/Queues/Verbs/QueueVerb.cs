using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary><c>/it queue [TEAM]</c>: the open tickets of your team's queue, most urgent first, with their SLA time left.</summary>
public sealed class QueueVerb(ITicketStore store, SupportTeams teams, QueueBoard board) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "queue";

    public string Usage => "/it queue [TEAM] (e.g. /it queue, /it queue Security)";

    public string Summary => "Agents: the open tickets of your team's queue.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        AgentGuard.EnsureAgent(turn.Person, "see a queue");
        var name = arguments.Trim();
        if (name.Contains(' ', StringComparison.Ordinal))
        {
            throw new UsageException($"'{name}' is not one team.", Usage);
        }

        SupportTeam team;
        if (name.Length == 0)
        {
            team = turn.Person.Teams.Select(teams.Find).FirstOrDefault(t => t is not null)
                ?? throw new DomainException("None of your teams is a configured support team.");
        }
        else
        {
            team = teams.Get(name);
            if (!turn.Person.IsAgentOf(team.Name))
            {
                throw new DomainException($"Only agents of the {team.Name} team can see its queue; you are not one of them.");
            }
        }

        var open = await store.QueryAsync(new TicketQuery { Team = team.Name, OpenOnly = true, Limit = int.MaxValue }, cancellationToken);
        turn.ReplyEphemeral(await board.TableAsync($"{team.Name} queue", open, "The queue is empty.", cancellationToken));
    }
}
