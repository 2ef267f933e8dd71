using System.Text;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Slack's three HTTP endpoints. Each reads the raw body, verifies the signature, parses only what it needs for
/// the platform id, stores the envelope and answers at once; the work happens afterwards from the store.
/// A refused request stores nothing.
/// </summary>
public static class SlackEndpoints
{
    /// <summary>The commands the manifest declares; anything else is answered, not stored.</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "/it", "/kpi" };

    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder app)
    {
        var slack = app.MapGroup("/slack");
        slack.MapPost("/events", EventsAsync);
        slack.MapPost("/commands", CommandsAsync);
        slack.MapPost("/interactivity", InteractivityAsync);
        return app;
    }

    private static async Task<IResult> EventsAsync(HttpContext http, IOptions<SlackOptions> options, SlackIntake intake, SlackBotIdentity self, TimeProvider clock)
    {
        var (body, failure) = await SlackRequestReader.ReadVerifiedAsync(http, options.Value, clock);
        if (body is null)
        {
            return failure!;
        }

        using var document = TryParseJson(body, out var jsonProblem);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return SlackResults.Problem(StatusCodes.Status400BadRequest, "The body " + (jsonProblem ?? "must be a JSON object."));
        }

        var root = document.RootElement;
        switch (root.Str("type"))
        {
            case "url_verification":
                return root.Str("challenge") is { Length: > 0 } challenge
                    ? TypedResults.Json(new { challenge })
                    : SlackResults.Problem(StatusCodes.Status400BadRequest, "url_verification needs a 'challenge' string.");
            case "event_callback":
                if (root.Str("event_id") is not { Length: > 0 } eventId)
                {
                    return SlackResults.Problem(StatusCodes.Status400BadRequest, "event_callback needs an 'event_id' string.");
                }

                if (!root.TryGetProperty("event", out var inner) || inner.ValueKind != JsonValueKind.Object)
                {
                    return SlackResults.Problem(StatusCodes.Status400BadRequest, "event_callback needs an 'event' object.");
                }

                // Retries (X-Slack-Retry-Num) carry the same event_id; the inbox recognises them.
                if (SlackEventFilter.ShouldStore(inner, self.Current))
                {
                    await intake.AcceptAsync(eventId, SlackEnvelopeKinds.Event, Encoding.UTF8.GetString(body), http.RequestAborted);
                }

                return TypedResults.Ok();
            case "app_rate_limited":
                return TypedResults.Ok();
            case { } other:
                return SlackResults.Problem(StatusCodes.Status400BadRequest, $"Unknown Events API type '{other}'; expected url_verification or event_callback.");
            default:
                return SlackResults.Problem(StatusCodes.Status400BadRequest, "The body needs a 'type' string.");
        }
    }

    private static async Task<IResult> CommandsAsync(HttpContext http, IOptions<SlackOptions> options, SlackIntake intake, TimeProvider clock)
    {
        var (body, failure) = await SlackRequestReader.ReadVerifiedAsync(http, options.Value, clock);
        if (body is null)
        {
            return failure!;
        }

        var text = Encoding.UTF8.GetString(body);
        var form = SlackForms.ParseForm(text);
        if (form.GetValueOrDefault("ssl_check") == "1")
        {
            return TypedResults.Ok();
        }

        foreach (var required in (string[])["command", "user_id", "channel_id"])
        {
            if (string.IsNullOrEmpty(form.GetValueOrDefault(required)))
            {
                return SlackResults.Problem(StatusCodes.Status400BadRequest, $"A slash command form needs '{required}'.");
            }
        }

        var command = form["command"];
        if (!Commands.Contains(command))
        {
            return SlackResults.Ephemeral($"{command} is not a command of this app. Use /it <what you need> or /kpi help.");
        }

        await intake.AcceptAsync(SlackIntake.IdOf("cmd", form.GetValueOrDefault("trigger_id"), text), SlackEnvelopeKinds.CommandForm, text, http.RequestAborted);
        return TypedResults.Ok();
    }

    private static async Task<IResult> InteractivityAsync(HttpContext http, IOptions<SlackOptions> options, SlackIntake intake, TimeProvider clock)
    {
        var (body, failure) = await SlackRequestReader.ReadVerifiedAsync(http, options.Value, clock);
        if (body is null)
        {
            return failure!;
        }

        var text = Encoding.UTF8.GetString(body);
        if (SlackForms.ParseForm(text).GetValueOrDefault("payload") is not { Length: > 0 } payload)
        {
            return SlackResults.Problem(StatusCodes.Status400BadRequest, "An interaction form needs a 'payload' field.");
        }

        using var document = TryParseJson(Encoding.UTF8.GetBytes(payload), out var jsonProblem);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return SlackResults.Problem(StatusCodes.Status400BadRequest, "'payload' " + (jsonProblem ?? "must be a JSON object."));
        }

        var check = await CheckInteractionAsync(document.RootElement, http.RequestServices, http.RequestAborted);
        if (check.Result is not null)
        {
            return check.Result;
        }

        if (check.Store)
        {
            await intake.AcceptAsync(SlackIntake.IdOf("act", document.RootElement.Str("trigger_id"), text), SlackEnvelopeKinds.InteractionForm, text, http.RequestAborted);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// What an interaction needs before it is stored. Shared with Socket Mode: a modal submission with errors is
    /// answered with <c>response_action: errors</c> so Slack shows them beside the fields.
    /// </summary>
    internal static async Task<(bool Store, IResult? Result, object? ResponsePayload)> CheckInteractionAsync(JsonElement payload, IServiceProvider services, CancellationToken cancellationToken)
    {
        switch (payload.Str("type"))
        {
            case "block_actions":
                var actions = payload.TryGetProperty("actions", out var a) && a.ValueKind == JsonValueKind.Array ? a : default;
                if (actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0 || actions[0].Str("action_id") is null)
                {
                    return (false, SlackResults.Problem(StatusCodes.Status400BadRequest, "block_actions needs an 'actions' array with an 'action_id'."), null);
                }

                return payload.Obj("user").Str("id") is null
                    ? (false, SlackResults.Problem(StatusCodes.Status400BadRequest, "block_actions needs 'user.id'."), null)
                    : (true, null, null);
            case "view_submission":
                var view = payload.Obj("view");
                var callback = view.Str("callback_id");
                if (callback is not (SlackRequestForm.CallbackId or SlackCardInputForm.CallbackId) || payload.Obj("user").Str("id") is null)
                {
                    return (false, SlackResults.Problem(StatusCodes.Status400BadRequest,
                        $"view_submission needs 'user.id' and a view with callback_id '{SlackRequestForm.CallbackId}' or '{SlackCardInputForm.CallbackId}'."), null);
                }

                var errors = callback == SlackCardInputForm.CallbackId
                    ? await services.GetRequiredService<SlackCardInputForm>().CheckAsync(payload, cancellationToken)
                    : services.GetRequiredService<SlackRequestForm>().Validate(view).Errors;
                if (errors.Count > 0)
                {
                    var response = new { response_action = "errors", errors };
                    return (false, TypedResults.Json(response), response);
                }

                return (true, null, null);
            case "view_closed" or "block_suggestion" or "shortcut" or "message_action":
                // Not used by this app: acknowledged so Slack shows no error, and not stored.
                return (false, null, null);
            case { } other:
                return (false, SlackResults.Problem(StatusCodes.Status400BadRequest, $"Unknown interaction type '{other}'."), null);
            default:
                return (false, SlackResults.Problem(StatusCodes.Status400BadRequest, "The payload needs a 'type' string."), null);
        }
    }

    private static JsonDocument? TryParseJson(byte[] body, out string? problem)
    {
        try
        {
            problem = null;
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            problem = $"is not valid JSON: {ex.Message}";
            return null;
        }
    }
}
