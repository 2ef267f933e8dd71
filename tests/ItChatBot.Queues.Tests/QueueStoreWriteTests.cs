using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// What the queues record once (a ticket's post on a team's queue, an SLA warning) is stored in the same write as the
/// messages that say so: a post stored without its cards would keep the ticket off its queue for good, and a warning
/// marked without its notice would never be sent. The store keeps both or neither.
/// </summary>
public sealed class QueueStoreWriteTests
{
    [Fact]
    public async Task A_post_is_stored_with_its_cards_in_the_outbox_and_a_second_post_for_the_same_team_stores_neither()
    {
        using var app = new QueueApp();
        var store = app.Get<IQueueStore>();
        var outbox = app.Get<IOutbox>();
        var card = Card("IT-900");

        Assert.True(await store.TryAddPostAsync(Post("IT-900", card), [card]));
        var again = Card("IT-900") with { Id = "another-card" };
        Assert.False(await store.TryAddPostAsync(Post("IT-900", again), [again]));

        var post = Assert.Single(await store.PostsOfAsync("IT-900"));
        Assert.Equal(card.Id, Assert.Single(post.Messages).OutboundId);
        // In the outbox (pending, or already sent: the host's dispatcher looks every second, whatever the test's clock).
        Assert.NotNull(await outbox.GetMessageAsync(card.Id));
        Assert.Null(await outbox.GetMessageAsync(again.Id));
        // The web queue thread the card opens leads to the ticket.
        Assert.Equal("IT-900", await app.Get<ITicketStore>().FindTicketByThreadAsync(card.Conversation));
    }

    private static OutboundMessage Card(string ticket) => new()
    {
        Id = QueueIds.PostMessage(ticket, "IT", Channels.Web),
        Conversation = new ConversationRef(Channels.Web, "queue-it", QueueIds.WebThread(ticket, "IT")),
        Card = new Card { Title = ticket, Text = "needs a human" },
        Ticket = ticket,
        CreatedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
    };

    private static QueuePost Post(string ticket, OutboundMessage card) =>
        new(ticket, "IT", card.CreatedAt, [new QueuePostMessage(card.Conversation.Channel, card.Conversation.ConversationId, card.Id, card.Conversation.ThreadId)]);
}
