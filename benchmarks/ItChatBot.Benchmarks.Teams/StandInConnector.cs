using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Benchmarks.Teams;

/// <summary>The Bot Connector both bots reply to: answers every send or update at once with a new activity id.</summary>
public sealed class StandInConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private StandInConnector(WebApplication app) => _app = app;

    public string ServiceUrl { get; private set; } = "";

    public int Received => _received;

    public static async Task<StandInConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new StandInConnector(app);
        app.Map("/v3/conversations/{**rest}", (HttpContext http) =>
        {
            Interlocked.Increment(ref connector._received);
            return Results.Json(new { id = Guid.NewGuid().ToString("N") }, statusCode: 201);
        });
        await app.StartAsync();
        connector.ServiceUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
        return connector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
