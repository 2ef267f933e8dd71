using ItChatBot.Core.Queues;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Host.Queues;

public static class QueueHostingExtensions
{
    /// <summary>The <c>Queues</c> settings and the queues' records: in PostgreSQL when it is registered, else in the LiteDB file.</summary>
    public static IServiceCollection AddQueueStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection("Queues"))
            .Validate(o => o.ReopenWindow > TimeSpan.Zero && o.SurveyChangeWindow >= TimeSpan.Zero && o.SurveyDelay >= TimeSpan.Zero,
                "Queues: ReopenWindow must be positive; SurveyDelay and SurveyChangeWindow must not be negative.")
            .Validate(o => o.AnswerWindow >= TimeSpan.Zero, "Queues:AnswerWindow must not be negative (zero: a message at the top of a conversation is never taken for an answer).")
            .Validate(o => o.FollowUpWindow >= TimeSpan.Zero, "Queues:FollowUpWindow must not be negative (zero: in a chat without threads every message at its top is a request of its own).")
            .Validate(o => o.WarnAt is > 0 and < 1, "Queues:WarnAt must be a share between 0 and 1 (e.g. 0.75).")
            .Validate(o => o.SurveyAlertAtOrBelow is >= 0 and <= 5, "Queues:SurveyAlertAtOrBelow must be a score from 0 (no alerts) to 5.")
            .Validate(o => o.MonitorInterval >= TimeSpan.FromSeconds(1), "Queues:MonitorInterval must be at least one second.")
            .Validate(o => o.SlaNoticeMaxAge > TimeSpan.Zero, "Queues:SlaNoticeMaxAge must be positive (e.g. 1.00:00:00); at zero or below no SLA breach is ever announced.")
            .ValidateOnStart();
        services.AddSingleton<IQueueStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresQueueStore(pg)
            : new LiteDbQueueStore(sp.GetRequiredService<LiteDbStore>()));
        return services;
    }
}
