using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Activities;
using ItChatBot.Teams.Auth;
using ItChatBot.Teams.Cards;
using ItChatBot.Teams.Delivery;
using ItChatBot.Teams.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Teams;

/// <summary>
/// <c>POST /api/messages</c>: verify the token, read the activity, store it once by its id, acknowledge. A message
/// or install is processed after the 200; an Action.Execute invoke is routed while the request waits, because
/// Teams shows the card in its response in place of the clicked one. Nothing is stored unless every check passed.
/// </summary>
public static partial class TeamsEndpoint
{
    public const string Path = "/api/messages";
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapTeamsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        BotFrameworkAuthenticator authenticator,
        IInbox inbox,
        IInboundJournal journal,
        ConversationRouter router,
        InlineInvokes inline,
        PendingSweep sweep,
        IConversationReferences references,
        IOptions<TeamsOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TeamsEndpoint).FullName!);
        if (options.Value.DevelopmentNoAuth && http.Connection.LocalIpAddress is { } local && !IPAddress.IsLoopback(local))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Teams:DevelopmentNoAuth answers only on loopback.");
        }

        var auth = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization.ToString(), ct);
        if (!auth.Succeeded)
        {
            Log.Refused(logger, auth.StatusCode, auth.Reason);
            return Problem(auth.StatusCode, auth.Reason!);
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"An activity may be at most {MaxBodyBytes} bytes.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Also without a Content-Length (chunked): the server stops reading past the limit.
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        string body;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            body = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException ex)
        {
            return Problem(ex.StatusCode, $"The body could not be read: {ex.Message}");
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, ActivityReader.Json);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The body is not a valid activity (JSON): {ex.Message}");
        }

        if (activity is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body must be a JSON activity object.");
        }

        // A verified sender with a malformed activity hears what is wrong (400) before the claim comparison.
        var ignored = ActivityTypes.IsIgnored(activity.Type);
        if (!ignored && ActivityReader.Problem(activity) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var checkedAuth = BotFrameworkAuthenticator.CheckActivity(auth, activity);
        if (!checkedAuth.Succeeded)
        {
            Log.Refused(logger, checkedAuth.StatusCode, checkedAuth.Reason);
            return Problem(checkedAuth.StatusCode, checkedAuth.Reason!);
        }

        if (ignored)
        {
            // Not acted on here (typing, reactions, types added later): acknowledged, not stored.
            return Results.Ok();
        }

        if (activity.Type == ActivityTypes.Invoke && activity.Name != ActivityTypes.AdaptiveCardInvoke)
        {
            // The client waits for an invoke response; an error in the invoke's own shape tells it the bot has no such action.
            return Results.Json(InvokeError(
                "NotImplemented", $"Invoke '{activity.Name}' is not one this bot handles; it handles {ActivityTypes.AdaptiveCardInvoke}."));
        }

        var now = clock.GetUtcNow();
        var platformId = ActivityReader.PlatformId(activity);
        var envelope = new InboundEnvelope(platformId, Channels.Teams, activity.Type!, body, now);
        if (activity.Type != ActivityTypes.Invoke)
        {
            // Journalled, then acked: the journal's mover stores it in the inbox, where a repeated id is dropped.
            await journal.WriteAsync(envelope, ct);
            return Results.Ok();
        }

        // An invoke is answered with its result, so it goes through the inbox here and now, once the start-up sweep has
        // read what was pending (PendingSweep).
        await sweep.Read.WaitAsync(ct);
        if (!await inbox.TryAcceptAsync(envelope, ct))
        {
            return Results.Json(InvokeMessage("This action was already handled."));
        }

        await references.RememberAsync(activity, ct);
        var inbound = ActivityReader.ToInbound(activity, now)!;
        inline.Begin(platformId, activity.ReplyToId, ActivityReader.IsSharedConversation(activity));
        OutboundMessage? reply;
        try
        {
            await router.RouteAsync(inbound, inbox, ct);
        }
        finally
        {
            reply = inline.End(platformId);
        }

        return Results.Json(InvokeResponse(reply));
    }

    /// <summary>The Universal Actions invoke response: the refreshed card, or a message when the turn only explained a problem.</summary>
    public static JsonObject InvokeResponse(OutboundMessage? reply)
    {
        if (reply is null)
        {
            return InvokeMessage("Done.");
        }

        if (reply.EphemeralTo is not null && reply.Card.Buttons.Count == 0)
        {
            return InvokeMessage(reply.Card.ToPlainText());
        }

        return new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = AdaptiveCardRenderer.ContentType,
            ["value"] = AdaptiveCardRenderer.Render(reply.Card),
        };
    }

    private static JsonObject InvokeMessage(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = "application/vnd.microsoft.activity.message",
        ["value"] = text,
    };

    /// <summary>The Universal Actions error response (protocols/teams.md §6): HTTP 200, the failure in the body.</summary>
    private static JsonObject InvokeError(string code, string message) => new()
    {
        ["statusCode"] = 400,
        ["type"] = "application/vnd.microsoft.error",
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    private static IResult Problem(int status, string detail) => Results.Problem(
        detail: detail,
        statusCode: status,
        title: status switch { 400 => "Bad request", 401 => "Unauthorized", 403 => "Forbidden", 413 => "Too large", _ => "Refused" });

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Teams activity refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, int status, string? reason);
    }
}
