using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Processes a stored, acknowledged Slack envelope: parses it into a message, command or card action and hands
/// it to the router. Channel messages are only taken when they are replies in a thread that belongs to a ticket,
/// and a mention that also arrives as a channel message is handled once.
/// </summary>
public sealed partial class SlackEnvelopeHandler(
    ConversationRouter router,
    ITicketStore tickets,
    IInbox inbox,
    SlackApiClient api,
    SlackRequestForm requestForm,
    SlackCardInputForm inputForm,
    SlackBotIdentity self,
    ILogger<SlackEnvelopeHandler> logger) : IEnvelopeHandler
{
    public string Channel => Core.Conversations.Channels.Slack;

    /// <returns>True when the router marked the envelope processed together with the turn's replies.</returns>
    public async Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        switch (envelope.Kind)
        {
            case SlackEnvelopeKinds.Event:
                using (var document = JsonDocument.Parse(envelope.Body))
                {
                    return await HandleEventAsync(envelope, document.RootElement, cancellationToken);
                }

            case SlackEnvelopeKinds.CommandForm:
                return await HandleCommandAsync(envelope, SlackForms.ParseForm(envelope.Body), cancellationToken);
            case SlackEnvelopeKinds.CommandJson:
                using (var document = JsonDocument.Parse(envelope.Body))
                {
                    return await HandleCommandAsync(envelope, SlackForms.FromJsonObject(document.RootElement), cancellationToken);
                }

            case SlackEnvelopeKinds.InteractionForm:
                using (var document = JsonDocument.Parse(SlackForms.ParseForm(envelope.Body)["payload"]))
                {
                    return await HandleInteractionAsync(envelope, document.RootElement, cancellationToken);
                }

            case SlackEnvelopeKinds.InteractionJson:
                using (var document = JsonDocument.Parse(envelope.Body))
                {
                    return await HandleInteractionAsync(envelope, document.RootElement, cancellationToken);
                }

            case SlackEnvelopeKinds.MessageSeen:
                return false;
            default:
                throw new InvalidOperationException($"Unknown Slack envelope kind '{envelope.Kind}'.");
        }
    }

    private async Task<bool> HandleEventAsync(InboundEnvelope envelope, JsonElement callback, CancellationToken cancellationToken)
    {
        // The bot's own user is checked again here: the envelope may have been stored before auth.test answered, or
        // come through Socket Mode.
        if (SlackInboundParser.Message(envelope.PlatformId, callback, envelope.ReceivedAt, self.Current) is not { } message)
        {
            return false;
        }

        var isMention = callback.Obj("event").Str("type") == "app_mention";
        if (!isMention && !SlackInboundParser.IsDirect(callback)
            && (message.Conversation.ThreadId is null || await tickets.FindTicketByThreadAsync(message.Conversation, cancellationToken) is null))
        {
            // Channel chatter outside the bot's threads is not for the bot.
            return false;
        }

        if (isMention || !SlackInboundParser.IsDirect(callback))
        {
            // A mention in a channel can also arrive as a channel message (different event ids, same channel+ts).
            if (!await FirstSightingAsync(message, envelope, cancellationToken))
            {
                return false;
            }
        }

        return await router.RouteStoredAsync(message, envelope, inbox, cancellationToken);
    }

    /// <summary>
    /// Claims the message (<c>channel</c>+<c>ts</c>) for this envelope, so of its two copies (app_mention and
    /// message.channels, different event ids) only one is handled. The marker names the envelope that claimed it:
    /// the same envelope handled again after a stop between the claim and the end of its turn goes on (the turn's
    /// handlers are replay-safe), while the other copy stays a duplicate.
    /// </summary>
    private async Task<bool> FirstSightingAsync(InboundMessage message, InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        // Only a sighting: stored as processed already, in the one write that finds whether it was seen before.
        var seen = new InboundEnvelope(
            $"slack:msg:{message.Conversation.ConversationId}:{message.MessageId}", Channel, SlackEnvelopeKinds.MessageSeen, envelope.PlatformId, envelope.ReceivedAt)
        {
            ProcessedAt = envelope.ReceivedAt,
        };
        if (await inbox.TryAcceptAsync(seen, cancellationToken))
        {
            return true;
        }

        // Read only on a miss, which is rare: a copy's second sighting or a replay after a stop.
        if ((await inbox.FindAsync(seen.PlatformId, cancellationToken))?.Body == envelope.PlatformId)
        {
            Log.Replayed(logger, envelope.PlatformId);
            return true;
        }

        Log.Duplicate(logger, envelope.PlatformId);
        return false;
    }

    private async Task<bool> HandleCommandAsync(InboundEnvelope envelope, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var command = SlackInboundParser.Command(envelope.PlatformId, form, envelope.ReceivedAt);
        if (command.Name.Equals("it", StringComparison.OrdinalIgnoreCase) && command.Text.Length == 0
            && form.GetValueOrDefault("trigger_id") is { Length: > 0 } trigger)
        {
            // Bare /it opens the request form; the trigger id lives 3 seconds, and this runs right after the ack.
            try
            {
                await api.OpenViewAsync(trigger, requestForm.BuildView(command.Conversation.ConversationId), cancellationToken);
                return false;
            }
            catch (SlackApiException ex)
            {
                // An expired trigger (the service was busy or restarted) falls back to the router's usage answer.
                Log.FormFailed(logger, ex, envelope.PlatformId);
            }
        }

        return await router.RouteStoredAsync(command, envelope, inbox, cancellationToken);
    }

    private async Task<bool> HandleInteractionAsync(InboundEnvelope envelope, JsonElement payload, CancellationToken cancellationToken)
    {
        switch (payload.Str("type"))
        {
            case "block_actions":
                var click = SlackInboundParser.Action(envelope.PlatformId, payload, envelope.ReceivedAt);
                if (SlackCardInputForm.BuildView(payload) is { } modal && payload.Str("trigger_id") is { Length: > 0 } trigger
                    && await inputForm.ShouldAskAsync(click, cancellationToken))
                {
                    // The button asks for text first (a reason): the modal's submission comes back as the press.
                    try
                    {
                        await api.OpenViewAsync(trigger, modal, cancellationToken);
                        return false;
                    }
                    catch (SlackApiException ex)
                    {
                        // An expired trigger: the press goes on without the text, and a handler that needs it says so.
                        Log.FormFailed(logger, ex, envelope.PlatformId);
                    }
                }

                return await router.RouteStoredAsync(click, envelope, inbox, cancellationToken);
            case "view_submission" when payload.Obj("view").Str("callback_id") == SlackCardInputForm.CallbackId:
                var (action, problem) = inputForm.Read(payload, envelope.ReceivedAt, envelope.PlatformId);
                if (action is null)
                {
                    throw new InvalidOperationException($"The stored modal submission is invalid: {problem}");
                }

                return await router.RouteStoredAsync(action, envelope, inbox, cancellationToken);
            case "view_submission":
                var (values, errors) = requestForm.Validate(payload.Obj("view"));
                if (values is null)
                {
                    throw new InvalidOperationException($"The stored request form is invalid: {string.Join("; ", errors.Values)}");
                }

                await requestForm.SubmitAsync(payload.Obj("user").Str("id")!, values, envelope.PlatformId, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Slack message {PlatformId} was already handled (mention and message of the same post)")]
        public static partial void Duplicate(ILogger logger, string platformId);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Opening the request form for {PlatformId} failed")]
        public static partial void FormFailed(ILogger logger, Exception exception, string platformId);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Slack message {PlatformId} is handled again: it claimed its message before a stop")]
        public static partial void Replayed(ILogger logger, string platformId);
    }
}
