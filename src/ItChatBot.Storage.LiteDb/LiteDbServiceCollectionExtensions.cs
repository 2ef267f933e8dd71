using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Storage.LiteDb;

public static class LiteDbServiceCollectionExtensions
{
    /// <param name="lowerWriterPriority">
    /// Whether the store's writer thread runs at lower OS priority, decided when the store is first resolved (the web host
    /// says yes, unless <c>Host:LowerBackgroundPriority</c> is false; command-line verbs, whose writes are the main job, no).
    /// </param>
    public static IServiceCollection AddLiteDbStore(this IServiceCollection services, string path, Func<IServiceProvider, bool>? lowerWriterPriority = null)
    {
        services.AddSingleton(sp => new LiteDbStore(path, lowerWriterPriority?.Invoke(sp) ?? false));
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IDirectory, LiteDbDirectory>();
        services.AddSingleton<IInboundJournal>(_ => new FileInboundJournal(JournalFolder(path)));
        return services;
    }

    /// <summary>The inbound journal's folder beside the data file: <c>data/itchatbot.db</c> → <c>data/itchatbot-intake/</c>.</summary>
    public static string JournalFolder(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "-intake");
    }
}
