using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The domain services, the router and the built-in handlers. A store must be added beside it.</summary>
    public static IServiceCollection AddItChatBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SupportTeams(sp.GetService<IOptions<SupportTeamsOptions>>()?.Value.ToTeams() ?? []));
        services.TryAddSingleton<RequesterCard>();
        services.TryAddSingleton<TicketService>();
        services.TryAddSingleton<Sla.SlaPolicies>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SupportTeamsOptions>, Sla.SlaSettingsValidation>());
        services.TryAddSingleton<KeywordTriage>();
        services.TryAddSingleton<Import.HistoryImporter>();
        services.TryAddSingleton<PersonResolver>();
        services.TryAddSingleton<ConversationRouter>();
        services.TryAddSingleton<InboundQueue>();
        services.TryAddSingleton<PendingSweep>();
        services.TryAddSingleton<OutboxSignal>();

        services.AddSingleton<OpenRequestHandler>();
        services.AddSingleton<IMessageHandler>(sp => sp.GetRequiredService<OpenRequestHandler>());
        services.AddSingleton<ICommandFallback>(sp => sp.GetRequiredService<OpenRequestHandler>());
        services.AddSingleton<TicketView>();
        services.AddSingleton<MyRequests>();
        services.AddSingleton<ExistingRequests>();
        services.AddSingleton<ICommandVerb, StatusVerb>();
        services.AddSingleton<ICardActionHandler, TicketActionHandler>();
        services.AddSingleton<ICardActionHandler, AwaitedAnswerActionHandler>();
        services.AddItChatBotQueues();
        return services;
    }
}

/// <summary>The <c>SupportTeams</c> configuration section: team name → settings.</summary>
public sealed class SupportTeamsOptions() : Dictionary<string, SupportTeam>(StringComparer.OrdinalIgnoreCase)
{
    public IEnumerable<SupportTeam> ToTeams() => this.Where(pair => pair.Value.Enabled).Select(pair =>
    {
        pair.Value.Name = string.IsNullOrEmpty(pair.Value.Name) ? pair.Key : pair.Value.Name;
        pair.Value.KeyPrefix = string.IsNullOrEmpty(pair.Value.KeyPrefix) ? pair.Key.ToUpperInvariant() : pair.Value.KeyPrefix;
        return pair.Value;
    });
}
