using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Automation.Steps;

/// <summary>Builds the outbound messages and <c>Responded</c> events steps use to answer the requester.</summary>
public static class AutomationMessages
{
    public const string Actor = "automation";

    public static OutboundMessage? ToRequester(StepContext context, Card card, string suffix = "msg") =>
        context.Origin is { } origin
            ? new OutboundMessage
            {
                Id = $"{context.IdempotencyKey}:{suffix}",
                Conversation = origin,
                Card = card with { Context = card.Context ?? $"{context.Ticket.Key} · {context.Definition.Name}" },
                Ticket = context.Ticket.Key,
                CreatedAt = context.Now,
            }
            : null;

    /// <summary>An automation step answered the requester: counts as a first response (DESIGN §4).</summary>
    public static TicketEvent Responded(StepContext context) => TicketEvent.New(
        context.Ticket.Key,
        EventType.Responded,
        context.Now,
        Actor,
        ActorKind.Automation,
        new Dictionary<string, string> { [EventData.Run] = context.Run.Id, [EventData.Step] = context.Step.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), [EventData.By] = Actor },
        $"{context.IdempotencyKey}:responded");
}
