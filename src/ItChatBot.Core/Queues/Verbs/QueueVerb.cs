using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>
/// <c>/it queue [TEAM] [FILTER...]</c>: the open tickets of your team's queue, most urgent first, with their SLA time
/// left; narrowed, as a service desk's saved queues are, to the unassigned ones, those waiting on their requester, those
/// whose SLA is breached, or a priority (filters combine: <c>/it queue unassigned P1</c>).
/// </summary>
public sealed class QueueVerb(ITicketStore store, SupportTeams teams, QueueBoard board) : ICommandVerb
{
    private static readonly string[] Views = ["unassigned", "waiting", "breached"];

    public string Command => "it";

    public string Verb => "queue";

    public string Usage => "/it queue [TEAM] [unassigned|waiting|breached|P1..P4] (e.g. /it queue, /it queue Security, /it queue unassigned P1)";

    public string Summary => "Agents: the open tickets of your team's queue, or the unassigned, waiting or breached ones, or one priority.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        AgentGuard.EnsureAgent(turn.Person, "see a queue");
        string? name = null;
        var filters = new List<string>();
        foreach (var word in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Views.FirstOrDefault(v => v.Equals(word, StringComparison.OrdinalIgnoreCase)) is { } view)
            {
                filters.Add(view);
            }
            else if (Priority.IsValid(word.ToUpperInvariant()))
            {
                filters.Add(word.ToUpperInvariant());
            }
            else if (teams.Find(word) is not null)
            {
                name = name is null ? word : throw new UsageException($"'{name}' and '{word}' are two teams; name one.", Usage);
            }
            else
            {
                throw new UsageException($"'{word}' is neither a team ({string.Join(", ", teams.All.Select(t => t.Name))}) nor a filter (unassigned, waiting, breached, P1 to P4).", Usage);
            }
        }

        SupportTeam team;
        if (name is null)
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
        var title = string.Join(" · ", [$"{team.Name} queue", .. filters]);
        var empty = filters.Count == 0 ? "The queue is empty." : $"No open ticket in the {team.Name} queue is {string.Join(" and ", filters)}.";
        turn.ReplyEphemeral(await board.TableAsync(title, open, empty, cancellationToken, (ticket, sla) => filters.All(f => f switch
        {
            "unassigned" => ticket.Assignee is null,
            "waiting" => ticket.Status == TicketStatus.WaitingOnRequester,
            "breached" => sla.Short == SlaView.Breached,
            _ => ticket.Priority == f,
        })));
    }
}
