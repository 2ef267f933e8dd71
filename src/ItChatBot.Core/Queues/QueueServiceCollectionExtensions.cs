using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues.Verbs;
using ItChatBot.Core.Sla;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Queues;

public static class QueueServiceCollectionExtensions
{
    /// <summary>Human queues: agent verbs, queue cards and buttons, relay, SLA monitor and surveys. The host adds an <see cref="IQueueStore"/>.</summary>
    public static IServiceCollection AddItChatBotQueues(this IServiceCollection services)
    {
        services.AddOptions<QueueOptions>();
        services.TryAddSingleton<SlaPolicies>();
        services.TryAddSingleton(sp => new PriorityRules(sp.GetRequiredService<IOptions<QueueOptions>>().Value.PriorityRules));
        services.TryAddSingleton<SlaView>();
        services.TryAddSingleton<QueuePublisher>();
        services.TryAddSingleton<QueueBoard>();
        services.TryAddSingleton<MentionResolver>();
        services.TryAddSingleton<QueueDesk>();
        services.TryAddSingleton<SlaMonitor>();
        services.TryAddSingleton<SurveySender>();

        services.AddSingleton<IRouterMiddleware, QueueMiddleware>();
        services.AddSingleton<RelayHandler>();
        services.TryAddSingleton<AwaitedAnswers>();
        services.AddSingleton<IMessageHandler>(sp => sp.GetRequiredService<RelayHandler>());
        services.AddSingleton<ICardActionHandler, QueueActionHandler>();
        services.AddSingleton<ICardActionHandler, SurveyActionHandler>();
        services.AddSingleton<ICommandVerb, QueueVerb>();
        services.AddSingleton<ICommandVerb, MineVerb>();
        services.AddSingleton<ICommandVerb, ClaimVerb>();
        services.AddSingleton<ICommandVerb, AssignVerb>();
        services.AddSingleton<ICommandVerb, EscalateVerb>();
        services.AddSingleton<ICommandVerb, ResolveVerb>();
        services.AddSingleton<ICommandVerb, ReopenVerb>();
        services.AddSingleton<ICommandVerb, WaitVerb>();
        services.AddSingleton<ICommandVerb, NoteVerb>();
        services.AddSingleton<ICommandVerb, PriorityVerb>();
        services.AddSingleton<ICommandVerb, CategoryVerb>();
        services.AddSingleton<ICommandVerb, DuplicateVerb>();
        return services;
    }
}
