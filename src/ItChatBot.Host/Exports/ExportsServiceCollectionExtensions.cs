using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Cli;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Host.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// Approvals (the policy gate, Approve/Deny handling, overrides, expiry), the audit log and the exports (API,
    /// chat, CLI verification). The gate is registered before the automation's own, which then stands aside.
    /// </summary>
    public static IServiceCollection AddAuditAndExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalsOptions>().Bind(configuration.GetSection("Approvals"));
        services.AddSingleton<IAuditLog>(sp => sp.GetService<ItChatBot.Storage.Postgres.PostgresDatabase>() is { } pg
            ? new ItChatBot.Storage.Postgres.PostgresAuditLog(pg)
            : new LiteDbAuditLog(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<EventAuditProjector>();
        services.AddSingleton<PolicyApprovalGate>();
        services.AddSingleton<IApprovalGate>(sp => sp.GetRequiredService<PolicyApprovalGate>());
        services.AddSingleton<ApprovalExpiryService>();
        services.AddSingleton<ApprovalActionHandler>();
        services.AddSingleton<ApprovalConversation>();
        services.AddSingleton<ICardActionHandler>(sp => sp.GetRequiredService<ApprovalActionHandler>());
        services.AddSingleton<ICardActionCheck>(sp => sp.GetRequiredService<ApprovalActionHandler>());
        services.AddSingleton<WorkflowOverride>();
        services.AddSingleton<ICommandVerb, OverrideVerb>();
        services.AddSingleton<ICommandVerb>(sp => new ApprovalVerb(approve: true, sp.GetRequiredService<ApprovalActionHandler>(), sp.GetRequiredService<IEventLog>(), sp.GetService<QueueDesk>()));
        services.AddSingleton<ICommandVerb>(sp => new ApprovalVerb(approve: false, sp.GetRequiredService<ApprovalActionHandler>(), sp.GetRequiredService<IEventLog>(), sp.GetService<QueueDesk>()));
        services.AddSingleton<IMessageHandler, ApprovalMessageHandler>();
        services.AddSingleton<WaitingApprovalsVerb>();
        services.AddSingleton<ICommandVerb>(sp => sp.GetRequiredService<WaitingApprovalsVerb>());
        services.AddSingleton<OverrideActionHandler>();
        services.AddSingleton<ICardActionHandler>(sp => sp.GetRequiredService<OverrideActionHandler>());
        services.AddSingleton<ICardActionCheck>(sp => sp.GetRequiredService<OverrideActionHandler>());
        services.AddSingleton<ICommandVerb, RoleVerb>();

        services.AddSingleton<IExportSource, AuditExportSource>();
        services.AddSingleton<IExportSource, AccessExportSource>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<KpiExportVerb>();
        services.AddSingleton<ICommandVerb>(sp => sp.GetRequiredService<KpiExportVerb>());
        services.AddSingleton<ICliVerb, VerifyAuditVerb>();
        return services;
    }

    /// <summary>The web host's background pass: expiry and the audit projection.</summary>
    public static IServiceCollection AddApprovalsWorker(this IServiceCollection services) => services.AddHostedService<ApprovalsWorker>();
}
