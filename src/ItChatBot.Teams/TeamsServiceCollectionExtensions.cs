using ItChatBot.Core.Conversations;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Teams.Auth;
using ItChatBot.Teams.Connector;
using ItChatBot.Teams.Delivery;
using ItChatBot.Teams.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Teams;

public static class TeamsServiceCollectionExtensions
{
    private const string HttpClientName = "teams";

    /// <summary>
    /// The Teams channel, when its settings are present (<c>Teams:AppId</c> + <c>Teams:AppPassword</c>, or
    /// <c>Teams:DevelopmentNoAuth</c> for a local client); with no Teams settings nothing is added.
    /// </summary>
    public static IServiceCollection AddItChatBotTeams(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TeamsOptions.Section);
        var probe = section.Get<TeamsOptions>() ?? new TeamsOptions();
        if (!probe.IsEnabled && string.IsNullOrWhiteSpace(probe.AppId))
        {
            return services;
        }

        services.AddOptions<TeamsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
        services.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new SigningKeys(Client(sp), Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SigningKeys>>()));
        services.AddSingleton<BotFrameworkAuthenticator>();
        services.AddSingleton(sp => new BotTokenProvider(Client(sp), Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ConnectorClient(Client(sp), sp.GetRequiredService<BotTokenProvider>(), sp.GetRequiredService<TimeProvider>()));
        // PostgreSQL when the host registers it (several instances, read through), else the LiteDB file.
        services.AddSingleton<IConversationReferences>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresConversationReferences(pg)
            : new LiteDbConversationReferences(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<InlineInvokes>();
        services.AddSingleton<IRouterMiddleware, InlineInvokeMiddleware>();
        services.AddSingleton<IChannelSender, TeamsChannelSender>();
        services.AddSingleton<IEnvelopeHandler, TeamsEnvelopeHandler>();
        if (probe.DevelopmentNoAuth)
        {
            services.AddHostedService<TeamsNoAuthGuard>();
        }

        return services;
    }

    /// <summary>Maps <c>POST /api/messages</c> when Teams is switched on.</summary>
    public static IEndpointRouteBuilder MapItChatBotTeams(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<BotFrameworkAuthenticator>() is not null)
        {
            app.MapTeamsEndpoint();
        }

        return app;
    }

    private static HttpClient Client(IServiceProvider sp) => sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

    private static IOptions<TeamsOptions> Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<TeamsOptions>>();
}
