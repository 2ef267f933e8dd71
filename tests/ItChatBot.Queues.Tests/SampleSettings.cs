using ItChatBot.Host;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Queues.Tests;

/// <summary>The service's registrations over <c>appsettings.sample.json</c> (with a store in a temp folder), changed as a test needs.</summary>
internal static class SampleSettings
{
    public static ServiceProvider Build(Action<IConfiguration>? change = null)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.sample.json")).Build();
        var folder = new TempFolder();
        configuration["Storage:LiteDb:Path"] = folder.File("sample.db");
        change?.Invoke(configuration);
        return new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();
    }
}
