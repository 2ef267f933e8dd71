using System.Net;
using ItChatBot.Core.Conversations;
using ItChatBot.Slack.BlockKit;
using ItChatBot.Slack.Inbound;
using ItChatBot.Slack.SocketMode;
using ItChatBot.Slack.WebApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ItChatBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Short waits are taken in the HTTP pipeline; a longer <c>Retry-After</c> goes back to the outbox, which waits without holding a thread.</summary>
    public static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Slack channel, when its settings are present (DESIGN §6): signing secret and bot token switch the HTTP
    /// endpoints on, an app token Socket Mode. With no Slack settings nothing is registered.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SlackOptions.Section);
        var options = section.Get<SlackOptions>() ?? new SlackOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddOptions<SlackOptions>().Bind(section)
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), "Slack:ApiBaseUrl must be an absolute URL.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Slack:RequestTimeout must be a positive duration, e.g. 00:00:10.")
            .Validate(o => o.SocketModePingTimeout > TimeSpan.Zero, "Slack:SocketModePingTimeout must be a positive duration, e.g. 00:00:30.")
            .ValidateOnStart();
        services.AddSlackApiClient();
        services.AddSingleton<BlockKitRenderer>();
        services.AddSingleton<SlackIntake>();
        services.AddSingleton<SlackBotIdentity>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackBotIdentity>());
        services.AddSingleton<SlackRequestForm>();
        services.AddSingleton<SlackCardInputForm>();
        services.AddSingleton<IEnvelopeHandler, SlackEnvelopeHandler>();
        services.AddSingleton<IChannelSender, SlackChannelSender>();
        services.AddSingleton<IPlatformUserResolver, SlackUserResolver>();
        if (options.SocketModeEnabled)
        {
            services.AddSingleton<SocketModeService>();
            services.AddHostedService(sp => sp.GetRequiredService<SocketModeService>());
        }

        return services;
    }

    /// <summary>
    /// The Web API client with its resilience pipeline: transient errors, calls that time out (<see cref="SlackOptions.RequestTimeout"/>
    /// each) and short 429s are retried, honouring <c>Retry-After</c>.
    /// </summary>
    public static IServiceCollection AddSlackApiClient(this IServiceCollection services)
    {
        services.AddHttpClient<SlackApiClient>(SlackApiClient.HttpClientName)
            .AddResilienceHandler("slack-web-api", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromMilliseconds(250),
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                });
                pipeline.AddTimeout(options.RequestTimeout);
            });
        return services;
    }

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetService<IOptions<SlackOptions>>()?.Value;
        if (options?.HttpEnabled == true)
        {
            app.MapSlackEndpoints();
        }

        return app;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } r => r.Result!.Headers.RetryAfter?.Delta is not { } wait || wait <= MaxInlineRetryAfter,
        { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
        _ => false,
    };
}
