using ItChatBot.Core;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Delivery;
using ItChatBot.Host.Kpi;
using ItChatBot.Host.Queues;
using ItChatBot.Host.Exports;
using ItChatBot.Host.Files;
using ItChatBot.Host.WebChat;
using ItChatBot.Slack;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Teams;

namespace ItChatBot.Host;

public static class HostingExtensions
{
    /// <summary>Everything the service needs, for the web host and the command-line verbs alike.</summary>
    public static IServiceCollection AddItChatBotServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SupportTeamsOptions>()
            .Configure(teams => StartFromDefaults(configuration.GetSection("SupportTeams"), teams))
            .Bind(configuration.GetSection("SupportTeams"))
            .PostConfigure(teams => AlwaysOpenTeams(configuration, teams))
            .ValidateOnStart();
        services.AddItChatBotCore();
        services.AddStorage(configuration);
        services.AddSingleton<IChannelSender, WebChannelSender>();
        services.AddSingleton<IEnvelopeHandler, WebChat.WebEnvelopeHandler>();
        services.AddItChatBotKpi(configuration);
        services.AddQueueStorage(configuration);
        services.AddAuditAndExports(configuration);
        services.AddFileLinks(configuration);
        services.AddItChatBotTeams(configuration);
        return services;
    }

    public static WebApplicationBuilder AddItChatBot(this WebApplicationBuilder builder)
    {
        builder.Services.AddItChatBotServices(builder.Configuration);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Api.EmptyAnswers.Explain);
        builder.Services.AddHostedService<Cli.DemoDirectoryBootstrap>();
        builder.Services.AddSingleton(new BackgroundPriority(builder.Configuration.GetValue("Host:LowerBackgroundPriority", true)));
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<JournalMover>();
        builder.Services.AddSingleton<InboundProcessor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboundProcessor>());
        builder.Services.AddHostedService<Queues.QueueBackgroundService>();
        builder.Services.AddApprovalsWorker();
        ItChatBot.Automation.AutomationServiceCollectionExtensions.AddItChatBotAutomation(builder.Services, builder.Configuration);
        builder.Services.AddSlack(builder.Configuration);
        return builder;
    }

    public static WebApplication MapItChatBot(this WebApplication app)
    {
        // With Host:LowerBackgroundPriority (the default) the threads that acknowledge ask for a short time slice, and
        // the after-ack threads run at nice 10 with the default one (see OsThread): this thread first, so that the threads
        // it goes on to create (Kestrel's, the thread pool's, the inbound journal's) start with it, and each request's
        // thread in case it was created elsewhere.
        var acksFirst = app.Services.GetRequiredService<BackgroundPriority>().Lower;
        if (acksFirst)
        {
            OsThread.PreferShortSlice();
            app.Use((context, next) =>
            {
                OsThread.PreferShortSlice();
                return next(context);
            });
        }

        // The store and the journal are opened here, on the thread that starts the host, rather than by whichever
        // service first asks for them: a thread inherits its creator's OS priority, and neither the store's writer nor
        // the journal's thread may inherit nice 10 from a background lane, whatever Host:LowerBackgroundPriority says.
        _ = app.Services.GetRequiredService<ItChatBot.Core.Storage.IEventLog>();
        _ = app.Services.GetRequiredService<ItChatBot.Core.Storage.IInboundJournal>();
        // An error answered without a body (no endpoint at the path, a method the endpoint does not take) gets a problem
        // body that says which; answers that carry their own body are left as they are.
        app.UseStatusCodePages();
        app.UseMiddleware<Api.SecurityHeaders>();
        app.UseMiddleware<Api.ApiKeyMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/healthz", Health);
        app.MapWebChat();
        app.MapKpi();
        app.MapExports();
        app.MapOutbox();
        app.MapFileLinks();
        app.MapSlack();
        app.MapItChatBotTeams();
        return app;
    }

    /// <summary>
    /// 200 with the number of events while the store can be read; otherwise 503 naming why. A store that cannot be read is
    /// the one fault a restart mends: LiteDB closes its engine for good after a fault it cannot recover from (every later
    /// read and write fails until the process starts again), and a PostgreSQL that cannot be reached fails the same way.
    /// </summary>
    private static async Task<IResult> Health(IEventLog log, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(new { status = "ok", events = await log.CountAsync(ct) });
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            loggers.CreateLogger("ItChatBot.Health").LogError(ex, "Health check: the store cannot be read");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The store cannot be read",
                detail: $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "LiteDb";
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return services.AddPostgres(configuration);
        }

        if (!provider.Equals("LiteDb", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage:Provider '{provider}' is not a store; use LiteDb (the default) or Postgres.");
        }

        // The data file belongs to this process alone (its lock file), so this process leads every role.
        services.AddSingleton<ILeadership, SoleInstance>();
        var options = configuration.GetSection("Storage:LiteDb").Get<LiteDbOptions>() ?? new LiteDbOptions();
        // The web host registers BackgroundPriority (its after-ack loops and the store's writer run lower); the
        // command-line verbs do not.
        return services.AddLiteDbStore(options.Path, sp => sp.GetService<BackgroundPriority>()?.Lower ?? false);
    }

    /// <summary>
    /// Several instances on one PostgreSQL database (DESIGN §1). Each instance acks from an inbound journal on its own disk
    /// (<c>Storage:Postgres:JournalFolder</c>, default <c>data/itchatbot-intake</c>): what it acked is durable there before
    /// the database has it, and moved into the shared inbox after. Roles that one instance at a time must do (sending the
    /// outbox, the SLA and survey passes, approval expiry) go to whichever instance takes them first (<see cref="ILeadership"/>),
    /// and another takes them when it stops.
    /// </summary>
    private static IServiceCollection AddPostgres(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration["Storage:Postgres:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Storage:Provider is Postgres but Storage:Postgres:ConnectionString is empty; set it, e.g. " +
                "Storage__Postgres__ConnectionString=\"Host=db;Database=itchatbot;Username=itchatbot;Password=...\".");
        }

        var journal = configuration["Storage:Postgres:JournalFolder"] is { Length: > 0 } folder ? folder : "data/itchatbot-intake";
        services.AddPostgresStore(connectionString, configuration["Storage:Postgres:InstanceId"]);
        services.AddSingleton<IInboundJournal>(_ => new FileInboundJournal(Path.GetFullPath(journal)));
        services.AddHostedService<OutboxNotifications>();
        services.AddHostedService<InboxTakeover>();
        return services;
    }

    /// <summary>
    /// The four teams of DESIGN §2 are where configuration starts, so that one setting changes one thing: on the embedded
    /// default, <c>SupportTeams__IT__QueueChannels__slack=C0123</c> (docs/slack.md) or DESIGN §6's
    /// <c>SupportTeams__IT__TimeZone=Europe/Paris</c> changes IT's queue or time zone and keeps its categories, its SLA
    /// targets and the other three teams (before, either left a team IT with nothing else set, and no other team).
    /// Queue channels merge channel by channel. A team's <c>Categories</c> and its <c>Sla</c>, when configured, are the whole
    /// list and the whole policy (binding would append to the default list, and a team that sets targets for P2 and P3
    /// only must not gain the defaults' P1 and P4). <c>SupportTeams:NAME:Enabled=false</c> drops a team.
    /// </summary>
    private static void StartFromDefaults(IConfigurationSection section, SupportTeamsOptions teams)
    {
        foreach (var team in SupportTeams.Defaults())
        {
            if (section.GetSection($"{team.Name}:Categories").Exists())
            {
                team.Categories = [];
            }

            if (section.GetSection($"{team.Name}:Sla").Exists())
            {
                team.Sla = [];
            }

            teams[team.Name] = team;
        }
    }

    /// <summary>
    /// <c>"BusinessHours": "24x7"</c> is a plain string where a section is expected, which binding skips. The string is
    /// taken as the days, so that any other one ("24/7") is refused at start instead of leaving the Mon-Fri default.
    /// </summary>
    private static void AlwaysOpenTeams(IConfiguration configuration, SupportTeamsOptions teams)
    {
        foreach (var (name, team) in teams)
        {
            if (configuration[$"SupportTeams:{name}:BusinessHours"] is { Length: > 0 } days)
            {
                team.BusinessHours.Days = days;
            }
        }
    }
}
