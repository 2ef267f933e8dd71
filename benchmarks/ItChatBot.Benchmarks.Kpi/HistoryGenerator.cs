using System.Globalization;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Benchmarks.Kpi;

/// <summary>
/// A deterministic synthetic history with the same shape as <c>seed-demo</c> (automation on IT access/password/software,
/// agents with waits, escalations, reopens, surveys, deflections), generated in batches so a million tickets never sit in memory at once.
/// </summary>
public sealed class HistoryGenerator(int seed, DateTimeOffset end, int days)
{
    private static readonly (string Team, string Prefix, string[] Categories, string[] Agents)[] Teams =
    [
        ("IT", "IT", ["access", "password", "hardware", "software", "network", "vpn", "email", "general"], ["alice", "bob", "carol"]),
        ("Security", "SEC", ["phishing", "incident", "access-review", "general"], ["sam", "sarah"]),
        ("HR", "HR", ["payroll", "leave", "onboarding", "benefits", "general"], ["hana", "henry"]),
        ("Finance", "FIN", ["expenses", "invoices", "purchasing", "general"], ["fiona", "felix"]),
    ];

    private readonly Random _random = new(seed);
    private readonly int[] _numbers = new int[Teams.Length];
    private long _eventNumber;

    public IEnumerable<List<TicketEvent>> Batches(int tickets, int perBatch)
    {
        var start = end.AddDays(-days);
        var batch = new List<TicketEvent>();
        for (var i = 0; i < tickets; i++)
        {
            // Tickets spread evenly over the days, in time order (the log is appended in time order too).
            var created = start.AddSeconds((double)i / tickets * days * 86400 + _random.NextDouble());
            Story(created, batch);
            if ((i + 1) % perBatch == 0)
            {
                yield return batch;
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private void Story(DateTimeOffset created, List<TicketEvent> events)
    {
        var t = _random.NextDouble() < 0.6 ? 0 : 1 + _random.Next(3);
        var (team, prefix, categories, agents) = Teams[t];
        var key = $"{prefix}-{++_numbers[t]}";
        var category = categories[_random.Next(categories.Length)];
        var p = _random.NextDouble();
        var priority = p < 0.05 ? "P1" : p < 0.25 ? "P2" : p < 0.8 ? "P3" : "P4";
        var requester = $"emp{_random.Next(2000)}";
        var at = created;
        bool Add(EventType type, string actor, ActorKind kind, double afterMinutes, params (string, string)[] data)
        {
            var when = at.AddMinutes(afterMinutes);
            if (when > end)
            {
                return false;
            }

            at = when;
            events.Add(TicketEvent.New(key, type, at, actor, kind, data.Length == 0 ? null : data.ToDictionary(d => d.Item1, d => d.Item2), $"b{++_eventNumber}"));
            return true;
        }

        if (_random.NextDouble() < 0.08)
        {
            events.Add(TicketEvent.New(null, EventType.Deflected, created, requester, ActorKind.Requester,
                new Dictionary<string, string> { [EventData.Team] = team, [EventData.Category] = category }, $"b{++_eventNumber}"));
        }

        Add(EventType.Created, requester, ActorKind.Requester, 0, (EventData.Team, team), (EventData.Category, category), (EventData.Priority, priority),
            (EventData.Requester, requester), (EventData.Channel, _random.NextDouble() < 0.5 ? "slack" : "teams"));
        var scale = priority switch { "P1" => 0.3, "P2" => 1.0, "P3" => 3.0, _ => 6.0 };
        if (team == "IT" && category is "access" or "password" or "software" && _random.NextDouble() < 0.7)
        {
            var run = $"r-{key}";
            Add(EventType.WorkflowStarted, "automation", ActorKind.Automation, 0.1, (EventData.Run, run));
            Add(EventType.Responded, "automation", ActorKind.Automation, 0.1);
            if (_random.NextDouble() >= 0.12)
            {
                if (Add(EventType.WorkflowCompleted, "automation", ActorKind.Automation, 1 + _random.Next(120), (EventData.Run, run))
                    && Add(EventType.Resolved, "automation", ActorKind.Automation, 0.1))
                {
                    Survey();
                }

                return;
            }

            Add(EventType.WorkflowFailed, "automation", ActorKind.Automation, 30, (EventData.Run, run));
        }

        var agent = agents[_random.Next(agents.Length)];
        if (!Add(EventType.Assigned, agent, ActorKind.Agent, 2 + _random.Next((int)(90 * scale)), (EventData.Assignee, agent))
            || !Add(EventType.Responded, agent, ActorKind.Agent, 1 + _random.Next((int)(60 * scale))))
        {
            return;
        }

        if (_random.NextDouble() < 0.2 && Add(EventType.StatusChanged, agent, ActorKind.Agent, 10 + _random.Next(230), (EventData.Status, "WaitingOnRequester")))
        {
            Add(EventType.StatusChanged, requester, ActorKind.Requester, 30 + _random.Next(1400), (EventData.Status, "InProgress"));
        }

        if (_random.NextDouble() < 0.15)
        {
            var to = agents[_random.Next(agents.Length)];
            Add(EventType.Escalated, agent, ActorKind.Agent, 30 + _random.Next(570), (EventData.ToTier, "L2"), (EventData.Assignee, to));
            agent = to;
        }

        if (!Add(EventType.Resolved, agent, ActorKind.Agent, 20 + _random.Next((int)(600 * scale))))
        {
            return;
        }

        if (_random.NextDouble() < 0.07 && Add(EventType.Reopened, requester, ActorKind.Requester, 60 + _random.Next(2800)))
        {
            Add(EventType.Resolved, agent, ActorKind.Agent, 30 + _random.Next(570));
        }

        Survey();

        void Survey()
        {
            if (Add(EventType.SurveySent, "automation", ActorKind.Automation, 60) && _random.NextDouble() < 0.4)
            {
                var s = _random.NextDouble();
                var score = s < 0.45 ? 5 : s < 0.75 ? 4 : s < 0.87 ? 3 : s < 0.95 ? 2 : 1;
                Add(EventType.SurveyAnswered, requester, ActorKind.Requester, 5 + _random.Next(600), (EventData.Score, score.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }
}
