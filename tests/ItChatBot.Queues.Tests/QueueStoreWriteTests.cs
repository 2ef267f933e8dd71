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

    [Fact]
    public async Task Marks_are_stored_with_their_notice_all_or_none()
    {
        using var app = new QueueApp();
        var store = app.Get<IQueueStore>();
        var outbox = app.Get<IOutbox>();
        var at = new DateTimeOffset(2026, 3, 2, 9, 12, 0, TimeSpan.Zero);
        var notice = Card("IT-903") with { Id = "notice-1" };

        Assert.True(await store.TryMarkOnceAsync(["sla|IT-903|first response|P1|warn"], at, [notice]));
        Assert.NotNull(await outbox.GetMessageAsync("notice-1"));

        // One of the keys was marked before: nothing of this write is kept, the new key and the notice included.
        var second = Card("IT-903") with { Id = "notice-2" };
        Assert.False(await store.TryMarkOnceAsync(["sla|IT-903|first response|P1|breach", "sla|IT-903|first response|P1|warn"], at, [second]));
        Assert.Null(await outbox.GetMessageAsync("notice-2"));
        Assert.Equal(
            ["sla|IT-903|first response|P1|warn"],
            await store.MarkedAsync(["sla|IT-903|first response|P1|breach", "sla|IT-903|first response|P1|warn"]));

        // A notice that cannot be stored takes its marks with it, so the next pass warns again.
        var clash = Card("IT-903") with { Id = "notice-1" };
        await Assert.ThrowsAnyAsync<Exception>(() => store.TryMarkOnceAsync(["sla|IT-903|first response|P1|breach"], at, [clash]));
        Assert.Empty(await store.MarkedAsync(["sla|IT-903|first response|P1|breach"]));
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
