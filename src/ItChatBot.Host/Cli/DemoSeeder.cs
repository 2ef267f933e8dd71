using Bogus;
using ItChatBot.Core.Directory;
using Person = ItChatBot.Core.Directory.Person;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Host.Cli;

/// <summary>
/// A realistic local directory and synthetic history for demos and benchmarks. Every event goes through
/// <see cref="Ticket.Record"/>, so the history obeys the same rules as live tickets.
/// </summary>
public sealed class DemoSeeder(IDirectory directory, IEventLog log, ITicketStore tickets, SupportTeams teams, TimeProvider clock)
{
    private const int BatchEvents = 5000;

    /// <summary>The people the demo and the README talk about, by id.</summary>
    public static IReadOnlyList<Person> NamedPeople { get; } =
    [
        Make("erin", "Erin Employee", "Account Executive", "dave", [], [Roles.Employee]),
        Make("frank", "Frank Field", "Sales Engineer", "dave", [], [Roles.Employee]),
        Make("dave", "Dave Manager", "Head of Sales", null, [], [Roles.Employee, Roles.Approver]),
        Make("alice", "Alice Agent", "IT Support (L1)", "carol", ["IT"], [Roles.Employee, Roles.Agent]),
        Make("bob", "Bob Builder", "IT Support (L2)", "carol", ["IT"], [Roles.Employee, Roles.Agent]),
        Make("carol", "Carol Lead", "IT Service Desk Lead", null, ["IT"], [Roles.Employee, Roles.Agent, Roles.Lead]),
        Make("sam", "Sam Secure", "Security Analyst", "sarah", ["Security"], [Roles.Employee, Roles.Agent]),
        Make("sarah", "Sarah Shield", "Security Lead", null, ["Security"], [Roles.Employee, Roles.Agent, Roles.Lead]),
        Make("hana", "Hana People", "HR Partner", "henry", ["HR"], [Roles.Employee, Roles.Agent]),
        Make("henry", "Henry Human", "HR Lead", null, ["HR"], [Roles.Employee, Roles.Agent, Roles.Lead]),
        Make("fiona", "Fiona Ledger", "Finance Ops", "felix", ["Finance"], [Roles.Employee, Roles.Agent]),
        Make("felix", "Felix Fund", "Finance Lead", null, ["Finance"], [Roles.Employee, Roles.Agent, Roles.Lead]),
        Make("admin", "Ada Admin", "Service Desk Admin", null, [], [Roles.Employee, Roles.Admin]),
    ];

    public async Task<SeedSummary> SeedAsync(int days, int perDay, int seed, CancellationToken cancellationToken)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var people = NamedPeople.ToList();
        var managers = Enumerable.Range(1, 6).Select(i => Make($"mgr{i}", faker.Name.FullName(), faker.Name.JobTitle(), null, [], [Roles.Employee, Roles.Approver])).ToList();
        people.AddRange(managers);
        people.AddRange(Enumerable.Range(1, 60).Select(i => Make($"emp{i}", faker.Name.FullName(), faker.Name.JobTitle(), faker.PickRandom(managers).Id, [], [Roles.Employee])));
        foreach (var person in people)
        {
            person.Email = $"{person.Id}@example.com";
            await directory.UpsertAsync(person, cancellationToken);
        }

        var agents = people.Where(p => p.HasRole(Roles.Agent)).ToList();
        var requesters = people.Where(p => !p.HasRole(Roles.Agent)).Select(p => p.Id).ToList();
        var managerOf = people.ToDictionary(p => p.Id, p => p.ManagerId, StringComparer.Ordinal);
        var numbers = new Dictionary<string, int>();
        foreach (var team in teams.All)
        {
            numbers[team.KeyPrefix] = await tickets.NextNumberAsync(team.KeyPrefix, cancellationToken) - 1;
        }

        var now = clock.GetUtcNow();
        var start = now.AddDays(-days);
        var batch = new List<TicketEvent>(BatchEvents + 64);
        Task<AppendResult>? writing = null;
        long events = 0;
        int ticketCount = 0, deflections = 0;
        var teamList = teams.All.ToList();
        var total = (long)days * perDay;
        for (long i = 0; i < total; i++)
        {
            var created = start.AddSeconds(faker.Random.Double() * days * 86400);
            var team = faker.Random.WeightedRandom([.. teamList], [.. teamList.Select(t => t.Name == "IT" ? 0.6f : 0.4f / (teamList.Count - 1))]);
            if (faker.Random.Double() < 0.08)
            {
                batch.Add(TicketEvent.New(null, EventType.Deflected, created, faker.PickRandom(requesters), ActorKind.Requester,
                    new Dictionary<string, string> { [EventData.Team] = team.Name, [EventData.Category] = faker.PickRandom(team.Categories), [EventData.Article] = "kb/demo.md" }));
                deflections++;
            }

            numbers[team.KeyPrefix]++;
            var key = new TicketKey(team.KeyPrefix, numbers[team.KeyPrefix]).ToString();
            var teamAgents = agents.Where(a => a.Teams.Contains(team.Name)).Select(a => a.Id).ToList();
            batch.AddRange(new TicketStory(faker, key, team, faker.PickRandom(requesters), managerOf, teamAgents, created, now).Tell());
            ticketCount++;
            if (batch.Count >= BatchEvents)
            {
                // The next batch is generated while this one is written (the log writes batches in order).
                events += writing is null ? 0 : (await writing).Appended.Count;
                writing = log.AppendAsync(batch, cancellationToken: cancellationToken);
                batch = new List<TicketEvent>(BatchEvents + 64);
            }
        }

        events += writing is null ? 0 : (await writing).Appended.Count;
        events += (await log.AppendAsync(batch, cancellationToken: cancellationToken)).Appended.Count;
        return new SeedSummary(people.Count, ticketCount, deflections, events);
    }

    private static Person Make(string id, string name, string title, string? manager, List<string> supportTeams, List<string> roles) => new()
    {
        Id = id,
        DisplayName = name,
        Title = title,
        ManagerId = manager,
        Teams = supportTeams,
        Roles = roles,
        Email = $"{id}@example.com",
    };

    /// <summary>
    /// One ticket's life: automation (a password reset, a software install, or access to an application, lasting or for a
    /// time, behind the requester's manager's approval), or an agent's work with the usual detours, up to now.
    /// </summary>
    private sealed class TicketStory(
        Faker faker, string key, SupportTeam team, string requester, IReadOnlyDictionary<string, string?> managerOf, List<string> agents, DateTimeOffset created, DateTimeOffset now)
    {
        private static readonly string[] Applications = ["github", "figma", "jira", "salesforce", "tableau", "zoom", "datadog", "confluence"];

        private readonly Ticket _ticket = new();
        private readonly List<TicketEvent> _events = [];
        private DateTimeOffset _at = created;

        public List<TicketEvent> Tell()
        {
            var priority = faker.Random.WeightedRandom(["P1", "P2", "P3", "P4"], [0.05f, 0.2f, 0.55f, 0.2f]);
            var category = faker.PickRandom(team.Categories);
            if (!Add(EventType.Created, requester, ActorKind.Requester, new()
            {
                [EventData.Team] = team.Name,
                [EventData.Category] = category,
                [EventData.Priority] = priority,
                [EventData.Requester] = requester,
                [EventData.Channel] = faker.PickRandom("slack", "teams", "web"),
                [EventData.Subject] = $"{category}: {faker.Hacker.Phrase()}",
            }))
            {
                return _events;
            }

            var automatable = team.Name == "IT" && category is "access" or "password" or "software";
            if (automatable && faker.Random.Double() < 0.7 && Automate(category))
            {
                return _events;
            }

            Work(priority);
            return _events;
        }

        /// <summary>A workflow: true when automation took the ticket to its end (or still has it), false when a person must.</summary>
        private bool Automate(string category)
        {
            var run = $"r-{key}";
            var manager = managerOf.GetValueOrDefault(requester);
            var workflow = category switch
            {
                "password" => "password-reset",
                "software" => "software-install",
                _ when manager is null => null,
                _ => faker.Random.Double() < 0.35 ? "temporary-access" : "app-access",
            };
            if (workflow is null)
            {
                return false;
            }

            Add(EventType.WorkflowStarted, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run }, 1);
            Add(EventType.Responded, "automation", ActorKind.Automation, new() { [EventData.Run] = run, [EventData.By] = "automation" }, 1);
            if (faker.Random.Double() < 0.12)
            {
                Add(EventType.WorkflowFailed, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Error] = "directory timeout" }, 30);
                Add(EventType.Escalated, "automation", ActorKind.Automation, new() { [EventData.ToTier] = "L1", [EventData.ToTeam] = team.Name }, 1);
                return false;
            }

            if (workflow is "app-access" or "temporary-access")
            {
                return Access(workflow, run, manager!);
            }

            if (!Add(EventType.WorkflowCompleted, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Outcome] = "completed" }, faker.Random.Int(1, 120)))
            {
                return true;
            }

            Add(EventType.Resolved, "automation", ActorKind.Automation, null, 1);
            Survey();
            return true;
        }

        /// <summary>
        /// Access behind the manager's approval, as the engine records it: requested, then approved (and the access granted,
        /// and for a time-bound grant revoked at its end), denied or expired; now and then an agent cancels the run first.
        /// </summary>
        private bool Access(string workflow, string run, string manager)
        {
            var temporary = workflow == "temporary-access";
            var gate = temporary ? 0 : 1;
            var step = gate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var application = faker.PickRandom(Applications);
            Add(EventType.StatusChanged, "automation", ActorKind.Automation, new() { [EventData.Status] = nameof(TicketStatus.PendingApproval) }, 0);
            Add(EventType.ApprovalRequested, "automation", ActorKind.Automation, new() { [EventData.Run] = run, [EventData.Step] = step, [EventData.Approver] = manager }, 0);
            if (faker.Random.Double() < 0.04 && agents.Count > 0)
            {
                var agent = faker.PickRandom(agents);
                if (Add(EventType.Overridden, agent, ActorKind.Agent, new() { [EventData.Run] = run, ["action"] = "cancel", [EventData.Reason] = "set up by hand", [EventData.By] = agent }, faker.Random.Int(30, 600)))
                {
                    // The agent's own work follows (Work): assigned, then in progress.
                    Add(EventType.WorkflowCompleted, agent, ActorKind.Agent, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Outcome] = "cancelled" }, 0);
                    return false;
                }

                return true;
            }

            var roll = faker.Random.Double();
            if (roll < 0.04)
            {
                return !Add(EventType.ApprovalExpired, "system", ActorKind.System, new() { [EventData.Run] = run, [EventData.Step] = step }, 3 * 1440) || End(workflow, run, "expired");
            }

            var decision = roll < 0.12 ? "denied" : "approved";
            if (!Add(EventType.ApprovalDecided, manager, ActorKind.Approver, new() { [EventData.Run] = run, [EventData.Step] = step, [EventData.Decision] = decision, [EventData.By] = manager }, faker.Random.Int(5, 600)))
            {
                return true;
            }

            if (decision == "denied")
            {
                return End(workflow, run, "denied");
            }

            Add(EventType.StatusChanged, "automation", ActorKind.Automation, new() { [EventData.Status] = nameof(TicketStatus.InProgress) }, 0);
            Add(EventType.WorkflowStepCompleted, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Step] = step, ["kind"] = "approval" }, 0);
            var granted = new Dictionary<string, string>
            {
                [EventData.Resource] = application, [EventData.Role] = "member", [EventData.Outcome] = "granted",
                [EventData.Requester] = requester, [EventData.Run] = run, [EventData.Approver] = manager,
            };
            var days = faker.Random.Int(1, 14);
            if (temporary)
            {
                granted[EventData.ExpiresAt] = _at.AddMinutes(1).AddDays(days).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }

            var side = new Dictionary<string, string> { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Step] = $"{gate + 1}", ["kind"] = temporary ? "grant_access" : "directory" };
            if (!Add(EventType.WorkflowStepCompleted, "automation", ActorKind.Automation, side, 1))
            {
                return true;
            }

            var at = _at;
            Add(EventType.AccessGranted, "automation", ActorKind.Automation, granted, 0);
            Add(EventType.WorkflowCompleted, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Outcome] = "completed" }, 0);
            Add(EventType.Resolved, "automation", ActorKind.Automation, null, 0);
            Survey();
            if (temporary)
            {
                var revoked = new Dictionary<string, string>(granted) { [EventData.Outcome] = "revoked" };
                revoked.Remove(EventData.Approver);
                Add(EventType.AccessRevoked, "automation", ActorKind.Automation, revoked, Math.Max(0, (int)(at.AddDays(days) - _at).TotalMinutes));
            }

            return true;
        }

        /// <summary>A run the approval ended (denied or expired): the requester is told, the run ends, the ticket is resolved.</summary>
        private bool End(string workflow, string run, string outcome)
        {
            Add(EventType.Responded, "automation", ActorKind.Automation, new() { [EventData.Run] = run, [EventData.By] = "automation" }, 0);
            Add(EventType.WorkflowCompleted, "automation", ActorKind.Automation, new() { [EventData.Workflow] = workflow, [EventData.Run] = run, [EventData.Outcome] = outcome }, 0);
            Add(EventType.Resolved, "automation", ActorKind.Automation, new() { [EventData.Run] = run, [EventData.Note] = $"Approval {outcome}." }, 0);
            Survey();
            return true;
        }

        private void Work(string priority)
        {
            if (agents.Count == 0)
            {
                return;
            }

            var agent = faker.PickRandom(agents);
            var scale = priority switch { "P1" => 0.3, "P2" => 1.0, "P3" => 3.0, _ => 6.0 };
            if (!Add(EventType.Assigned, agent, ActorKind.Agent, new() { [EventData.Assignee] = agent }, faker.Random.Int(2, (int)(90 * scale))))
            {
                return;
            }

            Add(EventType.Responded, agent, ActorKind.Agent, null, faker.Random.Int(1, (int)(60 * scale)));
            Add(EventType.StatusChanged, agent, ActorKind.Agent, new() { [EventData.Status] = nameof(TicketStatus.InProgress) }, 1);
            if (faker.Random.Double() < 0.2)
            {
                // The requester can only answer a wait that happened (one that would fall after now is skipped).
                if (Add(EventType.StatusChanged, agent, ActorKind.Agent, new() { [EventData.Status] = nameof(TicketStatus.WaitingOnRequester) }, faker.Random.Int(10, 240)))
                {
                    Add(EventType.StatusChanged, requester, ActorKind.Requester, new() { [EventData.Status] = nameof(TicketStatus.InProgress) }, faker.Random.Int(30, 1440));
                }
            }

            if (faker.Random.Double() < 0.15)
            {
                var to = agents.Count > 1 ? faker.PickRandom(agents.Where(a => a != agent)) : agent;
                Add(EventType.Escalated, agent, ActorKind.Agent, new() { [EventData.FromTier] = "L1", [EventData.ToTier] = "L2", [EventData.ToTeam] = team.Name, [EventData.Assignee] = to }, faker.Random.Int(30, 600));
                agent = to;
            }

            if (!Add(EventType.Resolved, agent, ActorKind.Agent, null, faker.Random.Int(20, (int)(600 * scale))))
            {
                return;
            }

            if (faker.Random.Double() < 0.07 && Add(EventType.Reopened, requester, ActorKind.Requester, null, faker.Random.Int(60, 2880)))
            {
                Add(EventType.Resolved, agent, ActorKind.Agent, null, faker.Random.Int(30, 600));
            }

            Survey();
        }

        private void Survey()
        {
            if (_ticket.Status == TicketStatus.Resolved && Add(EventType.SurveySent, "automation", ActorKind.Automation, null, 60) && faker.Random.Double() < 0.4)
            {
                Add(EventType.SurveyAnswered, requester, ActorKind.Requester, new() { [EventData.Score] = faker.Random.WeightedRandom(["5", "4", "3", "2", "1"], [0.45f, 0.3f, 0.12f, 0.08f, 0.05f]) }, faker.Random.Int(5, 600));
            }
        }

        /// <summary>Records the event <paramref name="afterMinutes"/> after the last one, unless that is in the future.</summary>
        private bool Add(EventType type, string actor, ActorKind kind, Dictionary<string, string>? data, int afterMinutes = 0)
        {
            var at = _at.AddMinutes(afterMinutes);
            if (at > now)
            {
                return false;
            }

            _at = at;
            _events.Add(_ticket.Record(TicketEvent.New(key, type, at, actor, kind, data)));
            return true;
        }
    }
}

public sealed record SeedSummary(int People, int Tickets, int Deflections, long Events);
