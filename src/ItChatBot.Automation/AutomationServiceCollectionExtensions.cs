using ItChatBot.Automation.Access;
using ItChatBot.Automation.Chat;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Knowledge;
using ItChatBot.Automation.Understanding;
using ItChatBot.Automation.Steps;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Workflows;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation;

public static class AutomationServiceCollectionExtensions
{
    /// <summary>
    /// The automation services (classifier, knowledge base, workflow engine, connectors, access grants) and their
    /// chat handlers. Needs the core and a LiteDB store, or a registered PostgresDatabase (and PostgresInstance, made from it
    /// unless registered). <paramref name="hosted"/> adds the background services.
    /// </summary>
    public static IServiceCollection AddItChatBotAutomation(this IServiceCollection services, IConfiguration configuration, bool hosted = true)
    {
        services.AddOptions<AutomationOptions>().Bind(configuration.GetSection("Automation"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient();

        // Each store: the LiteDB one by default, the PostgreSQL one when a PostgresDatabase is registered (then the
        // LiteDbStore is never resolved). The LiteDB classes stay registered as themselves for the tests that read them.
        services.TryAddSingleton(sp => new PostgresInstance(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<ApplicationCatalog>();
        services.TryAddSingleton<IApplicationCatalog>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresApplicationCatalog(pg)
            : sp.GetRequiredService<ApplicationCatalog>());
        services.TryAddSingleton<IEmbeddedDirectoryStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresEmbeddedDirectoryStore(pg)
            : new LiteDbEmbeddedDirectoryStore(sp.GetRequiredService<LiteDbStore>()));
        services.TryAddSingleton(sp => new EmbeddedDirectoryConnector(
            sp.GetRequiredService<IDirectory>(), sp.GetRequiredService<IEmbeddedDirectoryStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDirectoryConnector>(sp => ConnectorFor(sp));

        services.TryAddSingleton<IApprovalGate>(sp => new ApprovalGate(
            sp.GetRequiredService<Core.Storage.IEventLog>(),
            sp.GetRequiredService<Core.Tickets.TicketService>(),
            sp.GetRequiredService<IDirectory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IDirectoryConnector>()));

        services.TryAddSingleton<WorkflowLoader>();
        services.TryAddSingleton(sp =>
        {
            var automation = sp.GetRequiredService<IOptions<AutomationOptions>>().Value;
            return new WorkflowCatalog(
                sp.GetRequiredService<WorkflowLoader>().LoadFolder(ContentPaths.Resolve(automation.WorkflowsPath)),
                automation.Endpoints.Where(e => !string.IsNullOrWhiteSpace(e.Value.BaseUrl)).Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase),
                sp.GetRequiredService<ILogger<WorkflowCatalog>>());
        });
        services.TryAddSingleton<WorkflowRunStore>();
        services.TryAddSingleton<IWorkflowRunStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresWorkflowRunStore(pg, sp.GetRequiredService<PostgresInstance>())
            : sp.GetRequiredService<WorkflowRunStore>());
        services.TryAddSingleton<AccessGrantStore>();
        services.TryAddSingleton<IAccessGrantStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresAccessGrantStore(pg, sp.GetRequiredService<PostgresInstance>())
            : sp.GetRequiredService<AccessGrantStore>());
        services.AddSingleton<IStepExecutor, MessageStep>();
        services.AddSingleton<IStepExecutor, ResolveStep>();
        services.AddSingleton<IStepExecutor, DirectoryStep>();
        services.AddSingleton<IStepExecutor, GrantAccessStep>();
        services.AddSingleton<IStepExecutor, HttpStep>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<IWorkflowRunner>(sp => sp.GetRequiredService<WorkflowEngine>());

        services.TryAddSingleton<SlotExtractor>();
        services.TryAddSingleton<IntentClassifier>();
        services.TryAddSingleton<LlmClassifier>();
        services.TryAddSingleton<RequestUnderstanding>();
        services.TryAddSingleton<KnowledgeBase>();
        services.TryAddSingleton<PendingRequestStore>();
        services.TryAddSingleton<IPendingRequestStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresPendingRequestStore(pg)
            : sp.GetRequiredService<PendingRequestStore>());
        services.TryAddSingleton<RequestIntake>();
        services.TryAddSingleton<ReplayedTurns>();

        services.AddSingleton<IMessageHandler, AutomationMessageHandler>();
        // Approve/Deny presses are handled by the approvals part's ApprovalActionHandler (prefix "approval"), which audits refusals.
        services.AddSingleton<ICardActionHandler, KnowledgeActionHandler>();
        services.AddSingleton<ICardActionHandler, IntentActionHandler>();
        WrapItFallback(services);
        services.TryAddSingleton<RevocationService>();

        if (hosted)
        {
            services.TryAddSingleton<WorkflowResumer>();
            services.AddHostedService(sp => sp.GetRequiredService<WorkflowResumer>());
            services.AddHostedService<RevocationScheduler>();
            services.AddHostedService<KnowledgeWarmUp>();
        }

        return services;
    }

    /// <summary>Puts the automation in front of the existing <c>/it</c> fallback (there can be only one per command).</summary>
    private static void WrapItFallback(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(ICommandFallback)).ToList())
        {
            services.Remove(descriptor);
            services.AddSingleton<ICommandFallback>(sp =>
            {
                var inner = (ICommandFallback)(descriptor.ImplementationInstance
                    ?? descriptor.ImplementationFactory?.Invoke(sp)
                    ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
                return inner.Command == "it" ? ActivatorUtilities.CreateInstance<AutomationCommandFallback>(sp, inner) : inner;
            });
        }
    }

    private static IDirectoryConnector ConnectorFor(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IOptions<AutomationOptions>>().Value.Directory.Provider;
        return provider.ToLowerInvariant() switch
        {
            "embedded" => services.GetRequiredService<EmbeddedDirectoryConnector>(),
            "graph" => ActivatorUtilities.CreateInstance<GraphDirectoryConnector>(services),
            "okta" => ActivatorUtilities.CreateInstance<OktaDirectoryConnector>(services),
            _ => throw new InvalidOperationException($"Automation:Directory:Provider '{provider}' is unknown; use embedded, graph or okta."),
        };
    }
}
