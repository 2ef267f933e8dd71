using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// One inbound message being handled: who sent it, and the replies the handlers produce. The router
/// enqueues the replies in the outbox when the turn ends; <see cref="Replies"/> also lets a synchronous
/// channel (the local web chat) answer in its HTTP response.
/// </summary>
public sealed class Turn(Inbound inbound, Person person, TimeProvider clock)
{
    private readonly List<OutboundMessage> _replies = [];

    public Inbound Inbound { get; } = inbound;

    public Person Person { get; } = person;

    public TimeProvider Clock { get; } = clock;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public IReadOnlyList<OutboundMessage> Replies => _replies;

    /// <summary>The thread this turn answers in: the inbound's thread, or a new thread under the inbound message.</summary>
    public ConversationRef ReplyThread =>
        Inbound.Conversation.ThreadId is not null || Inbound.MessageId is null
            ? Inbound.Conversation
            : Inbound.Conversation.InThread(Inbound.MessageId);

    /// <summary>
    /// The delivery a ticket this turn opens is linked to (<see cref="Tickets.OpenTicket.Delivery"/>), so that the turn,
    /// run again after a stop, finds the ticket instead of opening a second: a command's or a button press's platform id.
    /// A message needs none, since the thread under it is its own and the ticket is linked to that thread.
    /// </summary>
    public string? TicketDelivery => Inbound is InboundMessage ? null : Inbound.PlatformId;

    /// <summary>Answers in the inbound's thread, visible to everyone in the conversation.</summary>
    public OutboundMessage Reply(Card card, string? ticket = null) => Add(new()
    {
        Id = NewId(),
        Conversation = ReplyThread,
        Card = card,
        Ticket = ticket,
        CreatedAt = Now,
    });

    /// <summary>
    /// Answers in the inbound's thread (or <paramref name="to"/>) with the card of a ticket this turn opened: its receipt,
    /// which later changes replace in place (<see cref="Tickets.RequesterCard"/>). Its id is the ticket's, so a turn that
    /// runs again and says it again stores it once.
    /// </summary>
    public OutboundMessage Receipt(Card card, string ticket, ConversationRef? to = null) => Add(new()
    {
        Id = Tickets.RequesterCard.ReceiptId(ticket),
        Conversation = to ?? ReplyThread,
        Card = card,
        Ticket = ticket,
        CreatedAt = Now,
    });

    /// <summary>Answers only the person who sent the inbound (Slack ephemeral; elsewhere a private reply).</summary>
    public OutboundMessage ReplyEphemeral(Card card) => Add(new()
    {
        Id = NewId(),
        Conversation = ReplyThread,
        Card = card,
        EphemeralTo = Inbound.FromPlatformUserId,
        CreatedAt = Now,
    });

    /// <summary>Sends to another conversation: a queue channel, a manager's DM.</summary>
    public OutboundMessage Send(ConversationRef to, Card card, string? ticket = null) => Add(new()
    {
        Id = NewId(),
        Conversation = to,
        Card = card,
        Ticket = ticket,
        CreatedAt = Now,
    });

    /// <summary>Replaces the card of an earlier outbound message in place.</summary>
    public OutboundMessage Update(OutboundMessage earlier, Card card) => Add(earlier with
    {
        Id = NewId(),
        Card = card,
        UpdateOf = earlier.UpdateOf ?? earlier.Id,
        CreatedAt = Now,
    });

    public OutboundMessage Add(OutboundMessage message)
    {
        _replies.Add(message);
        return message;
    }

    private static string NewId() => Storage.NewId.Next();
}
