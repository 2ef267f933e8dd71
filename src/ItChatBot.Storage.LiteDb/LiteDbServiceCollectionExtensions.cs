using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Storage.LiteDb;

public static class LiteDbServiceCollectionExtensions
{
    public static IServiceCollection AddLiteDbStore(this IServiceCollection services, string path)
    {
        services.AddSingleton(_ => new LiteDbStore(path));
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IDirectory, LiteDbDirectory>();
        return services;
    }
}
