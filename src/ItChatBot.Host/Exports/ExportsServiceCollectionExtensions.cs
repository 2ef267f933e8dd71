using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Host.Cli;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Host.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>The audit log, the exports (API, chat, CLI verification).</summary>
    public static IServiceCollection AddAuditAndExports(this IServiceCollection services)
    {
        services.AddSingleton<IAuditLog>(sp => new LiteDbAuditLog(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<IExportSource, AuditExportSource>();
        services.AddSingleton<IExportSource, AccessExportSource>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<ICommandVerb, KpiExportVerb>();
        services.AddSingleton<ICliVerb, VerifyAuditVerb>();
        return services;
    }
}
