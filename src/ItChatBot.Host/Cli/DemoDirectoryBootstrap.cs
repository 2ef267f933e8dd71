using ItChatBot.Core.Directory;

namespace ItChatBot.Host.Cli;

/// <summary>
/// The embedded default must serve with no setup: when the local directory is empty at start, it gets the
/// demo's named people so the web chat has someone to be. Off with <c>Demo:SeedDirectory=false</c>.
/// </summary>
public sealed class DemoDirectoryBootstrap(IDirectory directory, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:SeedDirectory", true) || (await directory.ListAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        foreach (var person in DemoSeeder.NamedPeople)
        {
            await directory.UpsertAsync(person, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
