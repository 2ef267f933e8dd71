using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using ItChatBot.Testing;

namespace ItChatBot.Approvals.Tests;

/// <summary>
/// The real host with the shipped workflows (temporary-admin: manager or a member of Security, i.e. sam or sarah)
/// plus three written here (manager then application owner; an all-of board; an ungated removal from Jira), the demo directory (erin's manager is
/// dave), and the embedded directory connector whose group
/// memberships are the gated side effect. Presses go through the real router.
/// </summary>
public sealed class ApprovalScenario : IDisposable
{
    public const string AdminGroup = "app-github-admins";
    private readonly TempFolder _workflows = new();

    public ApprovalScenario(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = RepoRoot();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "workflows"), "*.yaml"))
        {
            File.Copy(file, _workflows.File(Path.GetFileName(file)));
        }

        File.WriteAllText(_workflows.File("two-stage-admin.yaml"), TwoStage);
        File.WriteAllText(_workflows.File("board-admin.yaml"), Board);
        File.WriteAllText(_workflows.File("leave-jira.yaml"), Leaver);
        var all = new Dictionary<string, string?>
        {
            ["Automation:WorkflowsPath"] = _workflows.Path,
            ["Approvals:Groups:app-owners:0"] = "sarah",
            ["Approvals:Groups:cab:0"] = "sam",
            ["Approvals:Groups:cab:1"] = "carol",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = new ItChatBotApp(all);
        _ = App.Services; // starts the host: the demo directory is seeded, the workflows loaded
    }

    public ItChatBotApp App { get; }

    public DateTimeOffset Now => App.Clock.GetUtcNow();

    public IReadOnlyList<string> Admins => App.Get<EmbeddedDirectoryConnector>().Members(AdminGroup);

    /// <param name="conversation">Where the request was made: the requester's direct conversation unless named.</param>
    public async Task<WorkflowRun> StartAsync(string workflow = "temporary-admin", string requester = "erin", string? conversation = null)
    {
        var ticket = await App.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", requester, "admin on GitHub please",
            new ConversationRef(Channels.Web, conversation ?? $"dm-{requester}", "m-1")));
        var definition = App.Get<WorkflowCatalog>().Find(workflow) ?? throw new InvalidOperationException($"workflow {workflow} not loaded");
        return await App.Get<WorkflowEngine>().StartAsync(definition, ticket, new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" });
    }

    public Task<Turn> PressAsync(string person, WorkflowRun run, int step = 0, bool approve = true, string? reason = null, string? value = null) =>
        App.Get<ConversationRouter>().RouteAsync(new CardAction
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, $"dm-{person}"),
            FromPlatformUserId = person,
            ReceivedAt = Now,
            ActionId = approve ? ApprovalMessages.Approve : ApprovalMessages.Deny,
            Value = value ?? ApprovalMessages.Value(run.Id, step),
            Inputs = reason is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ApprovalMessages.ReasonInput] = reason },
        });

    public Task<Turn> CommandAsync(string person, string name, string text) =>
        App.Get<ConversationRouter>().RouteAsync(new InboundCommand
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, $"dm-{person}"),
            FromPlatformUserId = person,
            ReceivedAt = Now,
            Name = name,
            Text = text,
        });

    public async Task<WorkflowRunStatus?> StatusAsync(WorkflowRun run) => (await App.Get<IWorkflowRunner>().FindRunAsync(run.Id))?.Status;

    public async Task<IReadOnlyList<TicketEvent>> EventsAsync(WorkflowRun run, EventType type) =>
        [.. (await App.EventLog.ReadTicketAsync(run.Ticket)).Where(e => e.Type == type)];

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string subject) => App.Get<IAuditLog>().ReadSubjectAsync(subject);

    public Task<OutboxEntry?> MessageAsync(string id) => App.Get<IOutbox>().GetMessageAsync(id);

    public void Dispose()
    {
        App.Dispose();
        _workflows.Dispose();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ItChatBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No ItChatBot.sln above the test folder.");
    }

    private const string TwoStage = """
        id: two-stage-admin
        name: Admin with owner sign-off
        team: IT
        category: access
        priority: P2
        intents: [two_stage_admin]
        examples:
          - two stage admin on github please
        slots:
          application: required
          duration: optional
        steps:
          - id: manager
            kind: approval
            approvers: manager
            summary: "{{requester.name}} asks for admin on {{application.name}} (manager)."
          - id: owner
            kind: approval
            approvers: group:app-owners
            summary: "{{requester.name}} asks for admin on {{application.name}} (application owner)."
          - id: grant
            kind: grant_access
            resource: "{{application.id}}"
            role: admin
            group: "{{application.admin_group}}"
            default_duration: 1d
        """;

    private const string Board = """
        id: board-admin
        name: Admin with change board
        team: IT
        category: access
        priority: P2
        intents: [board_admin]
        examples:
          - board admin on github please
        slots:
          application: required
          duration: optional
        steps:
          - id: board
            kind: approval
            approvers: all-of:cab
            summary: "{{requester.name}} asks the change board for admin on {{application.name}}."
          - id: grant
            kind: grant_access
            resource: "{{application.id}}"
            role: admin
            group: "{{application.admin_group}}"
            default_duration: 1d
        """;

    private const string Leaver = """
        id: leave-jira
        name: Leave Jira
        team: IT
        category: access
        priority: P3
        intents: [leave_jira]
        examples:
          - remove me from jira
        steps:
          - id: remove
            kind: directory
            action: remove_group
            group: app-jira-users
          - kind: resolve
            note: Removed from Jira.
        """;
}
