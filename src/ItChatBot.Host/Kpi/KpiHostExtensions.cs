using ItChatBot.Core.Conversations;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Cli;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Host.Kpi;

public static class KpiHostExtensions
{
    /// <summary>The KPI engine, its chat verbs, CLI verb, CSV importer, charts and exports; settings from the <c>Kpi</c> section.</summary>
    public static IServiceCollection AddItChatBotKpi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection("Kpi"));
        services.AddItChatBotKpiEngine();
        services.AddSingleton<ICheckinStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresCheckinStore(pg)
            : new LiteDbCheckinStore(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<TechnicianView>();
        services.AddSingleton<KpiChat>();
        services.AddSingleton<KpiCharts>();
        services.AddSingleton<KpiChartImages>();
        services.AddSingleton<KpiExports>();
        services.AddSingleton<Exports.IScopedExport, KpiCsvExport>();
        foreach (var metric in KpiRequest.Metrics.Where(m => m != "tech"))
        {
            services.AddSingleton<ICommandVerb>(sp => new KpiMetricVerb(metric, sp.GetRequiredService<KpiChat>()));
        }

        services.AddSingleton<ICommandFallback, KpiFallback>();
        services.AddSingleton<ICommandVerb, KpiTechVerb>();
        services.AddSingleton<ICommandVerb, KpiCheckinVerb>();
        services.AddSingleton<ICommandVerb, KpiCsvVerb>();
        services.AddSingleton<ICliVerb, KpiCliVerb>();
        services.AddSingleton<IHistoryFileImporter, CsvTicketImporter>();
        return services;
    }
}
