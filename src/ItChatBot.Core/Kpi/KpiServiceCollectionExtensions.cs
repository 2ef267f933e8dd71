using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ItChatBot.Core.Kpi;

public static class KpiServiceCollectionExtensions
{
    /// <summary>The KPI rollups and engine (bind <see cref="KpiOptions"/> to the <c>Kpi</c> section beside it).</summary>
    public static IServiceCollection AddItChatBotKpiEngine(this IServiceCollection services)
    {
        services.AddOptions<KpiOptions>();
        services.TryAddSingleton<KpiIndex>();
        services.TryAddSingleton<KpiEngine>();
        return services;
    }
}
