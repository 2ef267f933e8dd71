using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>What every <see cref="IOutbox"/> does, whichever store holds it.</summary>
public abstract class OutboxContract : StoreContract
{
    private IOutbox Outbox => Stores.Outbox;

    [Fact]
    public async Task Outbox_messages_wait_until_due_and_keep_their_platform_id_once_sent()
    {
        var message = new OutboundMessage
        {
            Id = "m1",
            Conversation = new ConversationRef("slack", "D1", "1.0"),
            Card = new Card { Title = "IT-1", Buttons = [new CardButton("ticket.status", "Refresh", "IT-1")] },
            Ticket = "IT-1",
            CreatedAt = T0,
        };
        await Outbox.EnqueueAsync([message]);

        var due = Assert.Single(await Outbox.DueAsync(T0, 10));
        // Collections compare by reference inside a record: compare them apart, the rest as a whole.
        Assert.Equal(message.Card, due.Message.Card with { Fields = message.Card.Fields, Buttons = message.Card.Buttons, Mentions = message.Card.Mentions });
        Assert.Equal(message.Card.Buttons, due.Message.Card.Buttons);
        Assert.Equal((OutboxState.Pending, 0, T0, "IT-1"), (due.State, due.Attempts, due.NextAttemptAt, due.Message.Ticket));

        await Outbox.MarkFailedAsync("m1", "429", T0.AddSeconds(30));
        Assert.Empty(await Outbox.DueAsync(T0.AddSeconds(29), 10));
        Assert.Single(await Outbox.DueAsync(T0.AddSeconds(30), 10));

        await Outbox.MarkSentAsync("m1", "1700000000.000100", T0.AddSeconds(31));
        Assert.Empty(await Outbox.DueAsync(T0.AddHours(1), 10));
        var sent = await Outbox.GetMessageAsync("m1");
        Assert.Equal((OutboxState.Sent, "1700000000.000100", 2, (string?)null), (sent!.State, sent.PlatformMessageId, sent.Attempts, sent.LastError));
    }

    [Fact]
    public async Task A_failure_whose_error_holds_a_NUL_character_is_counted_and_kept_with_it_written_out()
    {
        // A remote's own words. PostgreSQL's text refuses U+0000: the mark failed, so did the dispatcher's pass, and the
        // message stayed due at the head of the next pass, every second, with the messages after it never sent.
        await Outbox.EnqueueAsync([To("m1", "C1")]);

        await Outbox.MarkFailedAsync("m1", "upstream said \0 no", T0.AddSeconds(30));

        var failed = await Outbox.GetMessageAsync("m1");
        Assert.Equal((1, "upstream said \\u0000 no"), (failed!.Attempts, failed.LastError));
        Assert.Empty(await Outbox.DueAsync(T0.AddSeconds(29), 10));
    }

    [Fact]
    public async Task An_update_of_a_card_that_waits_for_its_retry_waits_too_while_other_messages_go_on()
    {
        await Outbox.EnqueueAsync([To("card", "C1"), To("other", "C2"), To("update", "C1", updateOf: "card"), To("next", "C1")]);
        await Outbox.MarkFailedAsync("card", "ratelimited", T0.AddSeconds(30));

        Assert.Equal(["other", "next"], (await Outbox.DueAsync(T0.AddSeconds(1), 10)).Select(e => e.Message.Id));
        Assert.Equal(["card", "other", "update", "next"], (await Outbox.DueAsync(T0.AddSeconds(30), 10)).Select(e => e.Message.Id));
        Assert.Equal(["card", "other"], (await Outbox.DueAsync(T0.AddSeconds(30), 2)).Select(e => e.Message.Id));

        // Once the card is sent, its update goes whenever it is due.
        await Outbox.MarkSentAsync("card", "1.1", T0.AddSeconds(30));
        Assert.Equal(["other", "update", "next"], (await Outbox.DueAsync(T0.AddSeconds(1), 10)).Select(e => e.Message.Id));
    }

    [Fact]
    public async Task A_message_threaded_under_one_that_waits_for_its_retry_waits_too()
    {
        await Outbox.EnqueueAsync([To("card", "C1"), To("reply", "C1") with { InThreadOf = "card" }, To("other", "C2")]);
        await Outbox.MarkFailedAsync("card", "ratelimited", T0.AddSeconds(30));

        Assert.Equal(["other"], (await Outbox.DueAsync(T0.AddSeconds(1), 10)).Select(e => e.Message.Id));
        Assert.Equal(["card", "reply", "other"], (await Outbox.DueAsync(T0.AddSeconds(30), 10)).Select(e => e.Message.Id));
        Assert.Equal("card", (await Outbox.GetMessageAsync("reply"))!.Message.InThreadOf);

        await Outbox.MarkSentAsync("card", "1.1", T0.AddSeconds(30));
        Assert.Equal(["reply", "other"], (await Outbox.DueAsync(T0.AddSeconds(1), 10)).Select(e => e.Message.Id));
    }

    [Fact]
    public async Task Due_times_compare_in_whole_milliseconds()
    {
        await Outbox.EnqueueAsync([To("m1", "C1", at: T0.AddTicks(9_999))]);

        Assert.Single(await Outbox.DueAsync(T0, 10));
        Assert.Equal(T0, (await Outbox.GetMessageAsync("m1"))!.NextAttemptAt);
        Assert.Empty(await Outbox.DueAsync(T0.AddTicks(-1), 10));
    }

    [Fact]
    public async Task Messages_sent_in_one_batch_are_marked_together_and_an_unknown_one_marks_none()
    {
        await Outbox.EnqueueAsync([To("a", "C1"), To("b", "C1"), To("c", "C1")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Outbox.MarkSentAsync([new SentMessage("a", "1.1", T0), new SentMessage("nope", "1.2", T0)]));
        Assert.Equal(OutboxState.Pending, (await Outbox.GetMessageAsync("a"))!.State);

        await Outbox.MarkSentAsync([new SentMessage("a", "1.1", T0), new SentMessage("b", "1.2", T0)]);
        Assert.Equal(["c"], (await Outbox.DueAsync(T0, 10)).Select(e => e.Message.Id));
        Assert.Equal("1.2", (await Outbox.GetMessageAsync("b"))!.PlatformMessageId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Outbox.MarkFailedAsync("nope", "x", T0));
        Assert.Null(await Outbox.GetMessageAsync("nope"));
    }

    [Fact]
    public async Task Failing_messages_are_listed_oldest_first_and_made_due_again_on_request()
    {
        await Outbox.EnqueueAsync([To("a", "C1"), To("b", "C2"), To("c", "C3"), To("d", "C4")]);
        await Outbox.MarkFailedAsync("c", "channel_not_found", T0.AddHours(1));
        await Outbox.MarkFailedAsync("a", "invalid_auth", T0.AddHours(1));
        await Outbox.MarkFailedAsync("d", "timeout", T0.AddSeconds(5));
        await Outbox.MarkSentAsync("d", "1.4", T0.AddSeconds(5));

        var failing = await Outbox.FailingAsync(10);
        Assert.Equal(["a", "c"], failing.Select(e => e.Message.Id));
        Assert.Equal(("invalid_auth", 1), (failing[0].LastError, failing[0].Attempts));
        Assert.Equal(["a"], (await Outbox.FailingAsync(1)).Select(e => e.Message.Id));

        var now = T0.AddMinutes(1);
        Assert.Equal(1, await Outbox.RetryNowAsync("c", now));
        Assert.Equal(0, await Outbox.RetryNowAsync("d", now));
        Assert.Equal(0, await Outbox.RetryNowAsync("unknown", now));
        Assert.Equal(["b", "c"], (await Outbox.DueAsync(now, 10)).Select(e => e.Message.Id));
        var retried = await Outbox.GetMessageAsync("c");
        Assert.Equal((now, 1, "channel_not_found"), (retried!.NextAttemptAt, retried.Attempts, retried.LastError));

        // With no id: every pending message that failed at least once, counting the one due already.
        Assert.Equal(2, await Outbox.RetryNowAsync(null, now));
        Assert.Equal(["a", "b", "c"], (await Outbox.DueAsync(now, 10)).Select(e => e.Message.Id));
        Assert.Equal(now, (await Outbox.GetMessageAsync("c"))!.NextAttemptAt);
    }

    [Fact]
    public async Task A_conversation_lists_its_messages_after_a_position_in_order()
    {
        await Outbox.EnqueueAsync([To("a", "C1"), To("b", "C2"), To("c", "C1"), To("d", "C1")]);
        await Outbox.MarkSentAsync("a", "1.1", T0);

        var all = await Outbox.ListConversationAsync("slack", "C1", 0);
        Assert.Equal(["a", "c", "d"], all.Select(e => e.Message.Id));
        Assert.Equal(OutboxState.Sent, all[0].State);
        Assert.Equal(["d"], (await Outbox.ListConversationAsync("slack", "C1", all[1].Seq)).Select(e => e.Message.Id));
        Assert.Empty(await Outbox.ListConversationAsync("teams", "C1", 0));
    }

    [Fact]
    public async Task A_message_whose_id_is_held_already_is_left_out_and_the_first_kept()
    {
        // A turn that runs again says its ticket's receipt again, under the same id (receipt:IT-42).
        await Outbox.EnqueueAsync([To("receipt:IT-1", "C1"), To("a", "C1")]);
        await Outbox.MarkSentAsync("receipt:IT-1", "1700000000.000100", T0);

        await Outbox.EnqueueAsync([To("receipt:IT-1", "C1") with { Card = new Card { Title = "again" } }, To("b", "C1"), To("b", "C1")]);

        Assert.Equal(["receipt:IT-1", "a", "b"], (await Outbox.ListConversationAsync("slack", "C1", 0)).Select(e => e.Message.Id));
        var receipt = await Outbox.GetMessageAsync("receipt:IT-1");
        Assert.Equal(("receipt:IT-1", OutboxState.Sent, "1700000000.000100"), (receipt!.Message.Card.Title, receipt.State, receipt.PlatformMessageId));
    }

    private static OutboundMessage To(string id, string conversation, string? updateOf = null, DateTimeOffset? at = null) =>
        new() { Id = id, Conversation = new ConversationRef("slack", conversation), Card = new Card { Title = id }, UpdateOf = updateOf, CreatedAt = at ?? T0 };
}
