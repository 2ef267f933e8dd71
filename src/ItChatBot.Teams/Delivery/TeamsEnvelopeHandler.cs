using System.Text.Json;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Teams.Activities;
using ItChatBot.Teams.Storage;
using Microsoft.Extensions.Options;

namespace ItChatBot.Teams.Delivery;

/// <summary>
/// Processes a stored Teams activity after it was acknowledged: remembers where the conversation lives, then
/// routes a message, typed command or Action.Submit, or welcomes the team when the bot is installed.
/// (Action.Execute invokes are routed inline by the endpoint; one only arrives here from the start-up sweep.)
/// </summary>
public sealed class TeamsEnvelopeHandler(
    ConversationRouter router,
    IInbox inbox,
    IConversationReferences references,
    IOutbox outbox,
    OutboxSignal signal,
    IOptions<TeamsOptions> options,
    TimeProvider clock) : IEnvelopeHandler
{
    public string Channel => Channels.Teams;

    /// <returns>True when the router marked the envelope processed together with the turn's replies.</returns>
    public async Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        var activity = JsonSerializer.Deserialize<Activity>(envelope.Body, ActivityReader.Json)
            ?? throw new InvalidOperationException($"Envelope {envelope.PlatformId} holds no activity.");
        await references.RememberAsync(activity, cancellationToken);

        if (activity.Type == ActivityTypes.ConversationUpdate)
        {
            await WelcomeAsync(activity, cancellationToken);
            return false;
        }

        return ActivityReader.ToInbound(activity, clock.GetUtcNow()) is { } inbound
            && await router.RouteStoredAsync(inbound, envelope, inbox, cancellationToken);
    }

    /// <summary>A short hello when the bot itself is among the members added (the app was installed here).</summary>
    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var botId = activity.Recipient?.Id;
        if (botId is null || activity.MembersAdded?.Any(m => m.Id == botId) != true)
        {
            return;
        }

        var name = options.Value.BotName;
        var card = new Card
        {
            Title = $"Hi, I'm {name}, your service desk in Teams",
            Text = "Tell me what you need in your own words and I'll open a request with the right team. "
                + "Type *it status* to see your open requests, *it help* for everything I can do, and *kpi backlog* for team figures (leads).",
        };
        await outbox.EnqueueAsync(
        [
            new OutboundMessage
            {
                // Derived from the activity's platform id, so a redelivered install cannot greet twice.
                Id = $"teams-welcome-{ActivityReader.PlatformId(activity)}",
                Conversation = new ConversationRef(Channels.Teams, activity.Conversation!.Id!),
                Card = card,
                CreatedAt = clock.GetUtcNow(),
            },
        ], cancellationToken);
        signal.Notify();
    }
}
