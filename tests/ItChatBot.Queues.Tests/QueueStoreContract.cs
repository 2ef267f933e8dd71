using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// What every <see cref="IQueueStore"/> does, run on the LiteDB file and on PostgreSQL
/// (<see cref="LiteDbQueueStoreContract"/>, <see cref="PostgresQueueStoreContract"/>). A post or a mark is kept with the
/// messages that announce it, or neither is.
/// </summary>
public abstract class QueueStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected IQueueStore Store { get; private set; } = null!;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IQueueStore> CreateStoreAsync();

    /// <summary>Whether the outbox beside the store holds the message.</summary>
    protected abstract Task<bool> InOutboxAsync(string messageId);

    /// <summary>Puts a message in the outbox beside the store, on its own.</summary>
    protected abstract Task EnqueueAsync(OutboundMessage message);

    /// <summary>The ticket a thread is linked to in the store beside it.</summary>
    protected abstract Task<string?> TicketOfThreadAsync(ConversationRef thread);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_post_is_stored_with_its_cards_and_thread_and_a_second_post_for_the_same_team_stores_neither()
    {
        var card = Card("IT-900");

        Assert.True(await Store.TryAddPostAsync(Post("IT-900", card), [card]));
        var again = Card("IT-900") with { Id = "another-card" };
        Assert.False(await Store.TryAddPostAsync(Post("IT-900", again), [again]));

        var post = Assert.Single(await Store.PostsOfAsync("IT-900"));
        Assert.Equal(card.Id, Assert.Single(post.Messages).OutboundId);
        Assert.True(await InOutboxAsync(card.Id));
        Assert.False(await InOutboxAsync(again.Id));
        Assert.Equal("IT-900", await TicketOfThreadAsync(card.Conversation));
    }

    [Fact]
    public async Task When_its_cards_cannot_be_stored_the_post_is_not_stored_either_and_can_be_made_later()
    {
        // A card the outbox cannot take (it names no conversation to send to).
        var clash = Card("IT-902");
        await Assert.ThrowsAnyAsync<Exception>(() => Store.TryAddPostAsync(Post("IT-902", clash), [clash with { Conversation = null! }]));

        Assert.Empty(await Store.PostsOfAsync("IT-902"));
        Assert.Null(await TicketOfThreadAsync(clash.Conversation));
        var card = Card("IT-902");
        Assert.True(await Store.TryAddPostAsync(Post("IT-902", card), [card]));
        Assert.True(await InOutboxAsync(card.Id));
    }

    [Fact]
    public async Task A_ticket_has_a_post_per_team_read_back_whole_in_the_order_they_were_posted()
    {
        var it = Card("IT-903");
        var security = Card("IT-903") with { Id = "sec-card", Conversation = new ConversationRef(Channels.Web, "queue-sec", "queue-IT-903-SEC") };
        var slack = new QueuePostMessage("slack", "C-SEC", "sec-slack-card", null);
        var later = new QueuePost("IT-903", "Security", At.AddMinutes(5), [
            new QueuePostMessage(Channels.Web, "queue-sec", security.Id, "queue-IT-903-SEC"), slack]);

        Assert.True(await Store.TryAddPostAsync(later, [security]));
        Assert.True(await Store.TryAddPostAsync(Post("IT-903", it), [it]));
        Assert.True(await Store.TryAddPostAsync(Post("IT-904", Card("IT-904")), [Card("IT-904")]));

        var posts = await Store.PostsOfAsync("IT-903");
        Assert.Equal(["IT", "Security"], posts.Select(p => p.Team));
        Assert.Equal([At, At.AddMinutes(5)], posts.Select(p => p.PostedAt));
        Assert.Equal(later.Messages, posts[1].Messages);
        Assert.Equal(QueueIds.Post("IT-903", "Security"), posts[1].Id);
        Assert.Equal("IT-903", await TicketOfThreadAsync(security.Conversation));
    }

    [Fact]
    public async Task A_post_waits_among_the_unlinked_until_every_card_has_its_thread()
    {
        var web = Card("IT-905");
        var post = new QueuePost("IT-905", "IT", At, [
            new QueuePostMessage(Channels.Web, "queue-it", web.Id, web.Conversation.ThreadId),
            new QueuePostMessage("slack", "C-IT", "slack-card", null)]);
        Assert.True(await Store.TryAddPostAsync(post, [web]));
        Assert.True(await Store.TryAddPostAsync(Post("IT-906", Card("IT-906")), [Card("IT-906")]));

        Assert.Equal(["IT-905"], (await Store.UnlinkedPostsAsync()).Select(p => p.Ticket));

        var linked = post with { Messages = [post.Messages[0], post.Messages[1] with { ThreadId = "1700000000.000100" }] };
        await Store.UpdatePostAsync(linked);

        Assert.Empty(await Store.UnlinkedPostsAsync());
        Assert.Equal("1700000000.000100", (await Store.PostsOfAsync("IT-905")).Single().Messages[1].ThreadId);
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond()
    {
        var precise = At.AddTicks(1_234_567).ToOffset(TimeSpan.FromHours(2));
        var card = Card("IT-907");
        Assert.True(await Store.TryAddPostAsync(Post("IT-907", card) with { PostedAt = precise }, [card]));
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-907", "IT-907", precise));

        var expected = DateTimeOffset.FromUnixTimeMilliseconds(precise.ToUnixTimeMilliseconds());
        Assert.Equal(expected, (await Store.PostsOfAsync("IT-907")).Single().PostedAt);
        Assert.Equal(expected, (await Store.DueSurveysAsync(precise, 10)).Single().Due);
    }

    [Fact]
    public async Task Marks_are_stored_with_their_notice_all_or_none()
    {
        var notice = Card("IT-908") with { Id = "notice-1" };

        Assert.True(await Store.TryMarkOnceAsync(["sla|IT-908|first response|P1|warn"], At, [notice]));
        Assert.True(await InOutboxAsync("notice-1"));

        // One of the keys was marked before: nothing of this write is kept, the new key and the notice included.
        var second = Card("IT-908") with { Id = "notice-2" };
        Assert.False(await Store.TryMarkOnceAsync(["sla|IT-908|first response|P1|breach", "sla|IT-908|first response|P1|warn"], At, [second]));
        Assert.False(await InOutboxAsync("notice-2"));
        Assert.Equal(
            ["sla|IT-908|first response|P1|warn"],
            await Store.MarkedAsync(["sla|IT-908|first response|P1|breach", "sla|IT-908|first response|P1|warn"]));

        // A notice that cannot be stored takes its marks with it, so the next pass warns again.
        var clash = Card("IT-908") with { Id = "notice-3", Conversation = null! };
        await Assert.ThrowsAnyAsync<Exception>(() => Store.TryMarkOnceAsync(["sla|IT-908|first response|P1|breach"], At, [clash]));
        Assert.Empty(await Store.MarkedAsync(["sla|IT-908|first response|P1|breach"]));

        Assert.True(await Store.TryMarkOnceAsync(["sla|IT-908|first response|P1|breach", "sla|IT-908|resolution|P1|warn"], At, [second]));
        Assert.Equal(3, (await Store.MarkedAsync(["sla|IT-908|first response|P1|breach", "sla|IT-908|resolution|P1|warn", "sla|IT-908|first response|P1|warn", "other"])).Count);
    }

    [Fact]
    public async Task A_checkpoint_starts_at_zero_and_keeps_the_last_position_set()
    {
        Assert.Equal(0L, await Store.GetCheckpointAsync("surveys"));

        await Store.SetCheckpointAsync("surveys", 41);
        await Store.SetCheckpointAsync("surveys", 42);
        await Store.SetCheckpointAsync("other", 7);

        Assert.Equal(42L, await Store.GetCheckpointAsync("surveys"));
        Assert.Equal(7L, await Store.GetCheckpointAsync("other"));
    }

    [Fact]
    public async Task A_survey_is_scheduled_once_per_resolution_due_when_its_time_comes_until_removed()
    {
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-1", "IT-1", At.AddHours(1)));
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-1", "IT-1", At.AddHours(5)));
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-2", "IT-2", At.AddHours(2)));
        await Store.ScheduleSurveyAsync(new PendingSurvey("ev-3", "IT-3", At.AddHours(3)));

        Assert.Empty(await Store.DueSurveysAsync(At, 10));
        Assert.Equal([new PendingSurvey("ev-1", "IT-1", At.AddHours(1))], await Store.DueSurveysAsync(At.AddHours(1), 10));
        Assert.Equal(["ev-1", "ev-2"], (await Store.DueSurveysAsync(At.AddHours(2.5), 10)).Select(s => s.ResolutionEventId).Order());
        Assert.Single(await Store.DueSurveysAsync(At.AddHours(9), 1));

        await Store.RemoveSurveyAsync("ev-1");
        await Store.RemoveSurveyAsync("ev-unknown");

        Assert.Equal(["ev-2", "ev-3"], (await Store.DueSurveysAsync(At.AddHours(9), 10)).Select(s => s.ResolutionEventId).Order());
    }

    protected static OutboundMessage Card(string ticket) => new()
    {
        Id = QueueIds.PostMessage(ticket, "IT", Channels.Web),
        Conversation = new ConversationRef(Channels.Web, "queue-it", QueueIds.WebThread(ticket, "IT")),
        Card = new Card { Title = ticket, Text = "needs a human" },
        Ticket = ticket,
        CreatedAt = At,
    };

    protected static QueuePost Post(string ticket, OutboundMessage card) =>
        new(ticket, "IT", card.CreatedAt, [new QueuePostMessage(card.Conversation.Channel, card.Conversation.ConversationId, card.Id, card.Conversation.ThreadId)]);
}
