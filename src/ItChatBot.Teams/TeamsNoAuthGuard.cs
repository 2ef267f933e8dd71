using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Teams;

/// <summary>
/// <c>Teams:DevelopmentNoAuth</c> lets anyone who can reach <c>/api/messages</c> act as any Teams user, so it is
/// refused unless the service listens on loopback only: once the server is bound, a non-loopback address
/// stops the application.
/// </summary>
public sealed partial class TeamsNoAuthGuard(IServer server, IHostApplicationLifetime lifetime, ILogger<TeamsNoAuthGuard> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            Log.Refused(logger, string.Join(", ", exposed));
            lifetime.StopApplication();
        }
    }

    public static bool IsLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "Teams:DevelopmentNoAuth is refused: the service also listens on {Addresses}. Bind to 127.0.0.1 only, or configure Teams:AppId and Teams:AppPassword.")]
        public static partial void Refused(ILogger logger, string addresses);
    }
}
