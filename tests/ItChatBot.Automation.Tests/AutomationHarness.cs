using ItChatBot.Automation.Access;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ItChatBot.Automation.Tests;

/// <summary>
/// The automation services over a real LiteDB file, without the web host. <see cref="RestartAsync"/> throws the
/// whole container away (closing the file) and builds a new one on the same file, as a process restart would.
/// <see cref="StartOnPostgresAsync"/> keeps everything in a fresh PostgreSQL database instead (<c>AddPostgresStore</c>, as
/// under <c>Storage:Provider=Postgres</c>): the core's stores and the automation's own (runs, grants, pending requests,
/// catalog, embedded directory).
/// </summary>
public sealed class AutomationHarness : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string?> _settings;
    private ServiceProvider _services;
    private PostgresTestDatabase? _postgres;

    public AutomationHarness(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null)
    {
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Automation:WorkflowsPath"] = workflowsFolder ?? RepoPaths.Workflows,
            ["Automation:KnowledgePath"] = RepoPaths.Knowledge,
            ["Automation:RetryDelay"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _services = Build();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public string DatabasePath => _folder.File("itchatbot.db");

    public string Folder => _folder.Path;

    /// <summary>The PostgreSQL database of a harness started with <see cref="StartOnPostgresAsync"/>.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public WorkflowEngine Engine => Get<WorkflowEngine>();

    public IEventLog Log => Get<IEventLog>();

    public TicketService Tickets => Get<TicketService>();

    public static async Task<AutomationHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null)
    {
        var harness = new AutomationHarness(settings, workflowsFolder);
        await harness.SeedPeopleAsync();
        return harness;
    }

    /// <summary>Like <see cref="StartAsync"/>, with the automation's stores in a PostgreSQL database of the harness's own.</summary>
    public static async Task<AutomationHarness> StartOnPostgresAsync(IReadOnlyDictionary<string, string?>? settings = null, string? workflowsFolder = null)
    {
        var postgres = await PostgresTestDatabase.CreateAsync();
        await using (var db = new PostgresDatabase(postgres.ConnectionString))
        {
            await db.MigrateAsync();
        }

        var harness = new AutomationHarness(settings, workflowsFolder);
        harness._postgres = postgres;
        await harness.RestartAsync();
        await harness.SeedPeopleAsync();
        return harness;
    }

    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        _services = Build();
    }

    /// <summary>erin (manager dave), dave, sam (Security team), and the web platform ids equal to the person ids.</summary>
    public async Task SeedPeopleAsync()
    {
        var directory = Get<IDirectory>();
        foreach (var (id, name, manager, team) in new[] { ("erin", "Erin Employee", "dave", (string?)null), ("dave", "Dave Manager", null, null), ("sam", "Sam Secure", "sarah", "Security"), ("frank", "Frank Field", "dave", null) })
        {
            await directory.UpsertAsync(new Person
            {
                Id = id,
                DisplayName = name,
                Email = $"{id}@example.com",
                ManagerId = manager,
                Teams = team is null ? [] : [team],
                PlatformIds = new() { ["web"] = id },
            });
        }
    }

    public async Task<Ticket> OpenTicketAsync(string workflowId, string requester = "erin")
    {
        var workflow = Get<WorkflowCatalog>().Find(workflowId) ?? throw new InvalidOperationException($"No workflow {workflowId}.");
        return await Tickets.OpenAsync(new OpenTicket(workflow.Team, workflow.Category, workflow.Priority, requester, $"test of {workflowId}",
            new Core.Conversations.ConversationRef("web", $"dm-{requester}", "m1")));
    }

    public async Task<WorkflowRun> StartAsync(string workflowId, IReadOnlyDictionary<string, string>? slots = null, string requester = "erin")
    {
        var ticket = await OpenTicketAsync(workflowId, requester);
        return await Engine.StartAsync(Get<WorkflowCatalog>().Find(workflowId)!, ticket, slots ?? new Dictionary<string, string>());
    }

    public Task<IReadOnlyList<TicketEvent>> EventsAsync(string ticket) => Log.ReadTicketAsync(ticket);

    public async Task<WorkflowRun> RunAsync(string runId) => await Get<IWorkflowRunStore>().GetAsync(runId) ?? throw new InvalidOperationException(runId);

    public EmbeddedDirectoryConnector Embedded => Get<EmbeddedDirectoryConnector>();

    public IAccessGrantStore Grants => Get<IAccessGrantStore>();

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddItChatBotCore();
        if (_postgres is { } postgres)
        {
            // The whole store in PostgreSQL, LiteDbStore not registered at all (so nothing may resolve it); a restart is a
            // new container, so a new instance with a presence of its own.
            services.AddPostgresStore(postgres.ConnectionString);
        }
        else
        {
            services.AddLiteDbStore(DatabasePath);
        }

        services.AddItChatBotAutomation(configuration, hosted: false);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _folder.Dispose();
    }
}
