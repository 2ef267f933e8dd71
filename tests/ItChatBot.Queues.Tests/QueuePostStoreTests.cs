using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// A queue post is made once per ticket and team, so a post stored without its cards would keep the ticket off its
/// queue for good: the store keeps both or neither.
/// </summary>
public sealed class QueuePostStoreTests
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
        Assert.Equal(OutboxState.Pending, (await outbox.GetMessageAsync(card.Id))?.State);
        Assert.Null(await outbox.GetMessageAsync(again.Id));
        // The web queue thread the card opens leads to the ticket.
        Assert.Equal("IT-900", await app.Get<ITicketStore>().FindTicketByThreadAsync(card.Conversation));
    }

    [Fact]
    public async Task When_its_cards_cannot_be_stored_the_post_is_not_stored_either_and_can_be_made_later()
    {
        using var app = new QueueApp();
        var store = app.Get<IQueueStore>();
        var taken = Card("IT-901") with { Id = "taken" };
        await app.Get<IOutbox>().EnqueueAsync([taken]);

        // A card whose outbox id is taken fails the write (the outbox's ids are unique).
        var clash = Card("IT-902") with { Id = "taken" };
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => store.TryAddPostAsync(Post("IT-902", clash), [clash]));
        Assert.Contains("duplicate key", refused.Message, StringComparison.OrdinalIgnoreCase);

        Assert.Empty(await store.PostsOfAsync("IT-902"));
        var card = Card("IT-902");
        Assert.True(await store.TryAddPostAsync(Post("IT-902", card), [card]));
        Assert.NotNull(await app.Get<IOutbox>().GetMessageAsync(card.Id));
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
