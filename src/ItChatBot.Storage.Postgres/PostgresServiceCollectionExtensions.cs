using ItChatBot.Core.Audit;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Storage.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// The PostgreSQL store for one of several instances sharing a database: its schema brought up to date when the store is
    /// first resolved, this instance's presence taken (so that others can tell it is alive), and the core's stores. Parts
    /// that keep records of their own (queues, automation, files, Teams) choose their Postgres implementation when
    /// <see cref="PostgresDatabase"/> is registered. The inbound journal stays on the instance's own disk (the caller
    /// registers it): it is what an instance acks from before the database has the delivery.
    /// </summary>
    /// <param name="instanceId">Unique per running instance; by default the machine, the process and a random part.</param>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString, string? instanceId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddSingleton(_ =>
        {
            var db = new PostgresDatabase(connectionString);
            // Resolved once, while the host starts (the host resolves the event log before it serves): the schema is
            // applied before anything reads or writes.
            db.MigrateAsync().GetAwaiter().GetResult();
            return db;
        });
        services.AddSingleton(sp =>
        {
            var instance = new PostgresInstance(sp.GetRequiredService<PostgresDatabase>(), instanceId);
            instance.StartAsync().GetAwaiter().GetResult();
            return instance;
        });
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<PostgresInstance>());
        services.AddSingleton(sp => new PostgresStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton(sp => new PostgresInbox(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<PostgresInstance>()));
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<PostgresInbox>());
        services.AddSingleton<IOutbox>(sp => new PostgresOutbox(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IDirectory>(sp => new PostgresDirectory(sp.GetRequiredService<PostgresDatabase>()));
        return services;
    }
}
