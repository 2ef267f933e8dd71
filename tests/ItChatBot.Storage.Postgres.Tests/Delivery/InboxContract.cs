using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>What every <see cref="IInbox"/> does, whichever store holds it.</summary>
public abstract class InboxContract : StoreContract
{
    private IInbox Inbox => Stores.Inbox;

    [Fact]
    public async Task A_second_delivery_of_the_same_inbound_id_is_recognised()
    {
        var envelope = new InboundEnvelope("slack:Ev01", "slack", "event_callback", "{\"a\":1}", T0);

        Assert.True(await Inbox.TryAcceptAsync(envelope));
        Assert.False(await Inbox.TryAcceptAsync(envelope with { Body = "{\"a\":2}" }));

        var pending = Assert.Single(await Inbox.PendingAsync(10));
        Assert.Equal(envelope, pending);
        await Inbox.MarkProcessedAsync("slack:Ev01");
        Assert.Empty(await Inbox.PendingAsync(10));
    }

    [Fact]
    public async Task A_stored_envelope_is_found_by_its_platform_id_with_whether_it_was_processed()
    {
        var marker = new InboundEnvelope("slack:msg:C1:1.000001", "slack", "message-seen", "slack:Ev01", T0) { ProcessedAt = T0 };
        await Inbox.TryAcceptAsync(marker);
        await Inbox.TryAcceptAsync(new InboundEnvelope("slack:Ev02", "slack", "event_callback", "{}", T0));

        Assert.Equal(marker, await Inbox.FindAsync("slack:msg:C1:1.000001"));
        Assert.Null((await Inbox.FindAsync("slack:Ev02"))!.ProcessedAt);
        Assert.Null(await Inbox.FindAsync("slack:Ev03"));
        Assert.Equal(["slack:Ev02"], (await Inbox.PendingAsync(10)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_failed_envelope_is_processed_with_its_error_and_an_unknown_id_changes_nothing()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("teams:c1:a1", "teams", "activity", "{}", T0.AddTicks(12_345)));

        await Inbox.MarkProcessedAsync("teams:c1:a1", "no handler for channel 'teams'");
        await Inbox.MarkProcessedAsync("teams:c1:unknown");

        var found = await Inbox.FindAsync("teams:c1:a1");
        Assert.Equal(("no handler for channel 'teams'", T0.AddTicks(10_000)), (found!.Error, found.ReceivedAt));
        Assert.NotNull(found.ProcessedAt);
        Assert.Empty(await Inbox.PendingAsync(10));
        Assert.Null(await Inbox.FindAsync("teams:c1:unknown"));
    }

    [Fact]
    public async Task Pending_envelopes_come_in_platform_id_order_up_to_the_maximum()
    {
        foreach (var id in new[] { "web:3", "slack:b", "web:1", "slack:B", "slack:a" })
        {
            await Inbox.TryAcceptAsync(new InboundEnvelope(id, "web", "message", id, T0));
        }

        Assert.Equal(["slack:B", "slack:a", "slack:b", "web:1", "web:3"], (await Inbox.PendingAsync(10)).Select(e => e.PlatformId));
        Assert.Equal(["slack:B", "slack:a"], (await Inbox.PendingAsync(2)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task Completing_an_envelope_queues_its_replies_and_marks_it_processed_together()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:1", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:2", "web", "message", "{}", T0));

        await Inbox.CompleteAsync("web:1", [Reply("r1"), Reply("r2")]);

        Assert.NotNull((await Inbox.FindAsync("web:1"))!.ProcessedAt);
        Assert.Equal(["r1", "r2"], (await Stores.Outbox.ListConversationAsync("web", "dm-erin", 0)).Select(e => e.Message.Id));

        // A reply the outbox cannot take (it names no conversation to send to) fails the whole completion: the envelope
        // stays pending. (A reply whose id is there already is left out: see the outbox's contract.)
        await Assert.ThrowsAnyAsync<Exception>(() => Inbox.CompleteAsync("web:2", [Reply("r3"), Reply("r4") with { Conversation = null! }]));
        Assert.Equal(["web:2"], (await Inbox.PendingAsync(10)).Select(e => e.PlatformId));
        Assert.Null(await Stores.Outbox.GetMessageAsync("r3"));
    }

    [Fact]
    public async Task A_completion_with_an_error_keeps_the_error_with_the_processed_envelope()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:1", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:2", "web", "message", "{}", T0));

        await Inbox.CompleteAsync("web:1", [Reply("sorry")], "reference 1a2b3c4d: TimeoutException: the directory timed out");
        await Inbox.CompleteAsync("web:2", []);

        var failed = await Inbox.FindAsync("web:1");
        Assert.Equal("reference 1a2b3c4d: TimeoutException: the directory timed out", failed!.Error);
        Assert.NotNull(failed.ProcessedAt);
        Assert.NotNull(await Stores.Outbox.GetMessageAsync("sorry"));
        Assert.Null((await Inbox.FindAsync("web:2"))!.Error);
        Assert.Empty(await Inbox.PendingAsync(10));
    }

    [Fact]
    public async Task An_error_holding_a_NUL_character_is_kept_with_it_written_out()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:1", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:2", "web", "message", "{}", T0));

        await Inbox.CompleteAsync("web:1", [], "reference 1a2b3c4d: HttpRequestException: bad \0 gateway");
        await Inbox.MarkProcessedAsync("web:2", "reference 5e6f7a8b: \0");

        Assert.Equal("reference 1a2b3c4d: HttpRequestException: bad \\u0000 gateway", (await Inbox.FindAsync("web:1"))!.Error);
        Assert.Equal("reference 5e6f7a8b: \\u0000", (await Inbox.FindAsync("web:2"))!.Error);
        Assert.Equal(2, (await Inbox.FailedAsync(10)).Count);
    }

    [Fact]
    public async Task The_failed_envelopes_are_listed_latest_first_and_only_they()
    {
        foreach (var id in new[] { "web:1", "web:2", "web:3", "web:4" })
        {
            await Inbox.TryAcceptAsync(new InboundEnvelope(id, "web", "message", "{}", T0));
        }

        await Inbox.CompleteAsync("web:1", [], "reference 1: first");
        await Task.Delay(5); // processing times are the machine's clock, to the millisecond
        await Inbox.MarkProcessedAsync("web:3", "cannot parse");
        await Task.Delay(5);
        await Inbox.CompleteAsync("web:4", [], "reference 4: last");
        await Inbox.CompleteAsync("web:2", []);

        var failed = await Inbox.FailedAsync(10);
        Assert.Equal(["web:4", "web:3", "web:1"], failed.Select(e => e.PlatformId));
        Assert.Equal(["reference 4: last", "cannot parse", "reference 1: first"], failed.Select(e => e.Error));
        Assert.Equal(["web:4", "web:3"], (await Inbox.FailedAsync(2)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task A_failed_envelope_reopened_is_pending_again_without_its_error_and_off_the_failed_list()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:1", "web", "InboundMessage", "{\"text\":\"hi\"}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:2", "web", "InboundMessage", "{}", T0));
        await Inbox.CompleteAsync("web:1", [Reply("sorry")], "reference 1a2b3c4d: TimeoutException: the directory timed out");
        await Inbox.MarkProcessedAsync("web:2", "cannot parse");

        var reopened = await Inbox.ReopenAsync("web:1");

        var expected = new InboundEnvelope("web:1", "web", "InboundMessage", "{\"text\":\"hi\"}", T0);
        Assert.Equal(expected, reopened);
        Assert.Equal(expected, await Inbox.FindAsync("web:1"));
        Assert.Equal(["web:1"], (await Inbox.PendingAsync(10)).Select(e => e.PlatformId));
        Assert.Equal(["web:2"], (await Inbox.FailedAsync(10)).Select(e => e.PlatformId));
        Assert.NotNull(await Stores.Outbox.GetMessageAsync("sorry"));

        // Handled once more, without an error this time: processed, and not listed as failed.
        await Inbox.CompleteAsync("web:1", []);
        Assert.NotNull((await Inbox.FindAsync("web:1"))!.ProcessedAt);
        Assert.Empty(await Inbox.PendingAsync(10));
        Assert.Equal(["web:2"], (await Inbox.FailedAsync(10)).Select(e => e.PlatformId));
    }

    [Fact]
    public async Task Only_a_failed_envelope_is_reopened_and_a_second_reopening_finds_it_pending()
    {
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:pending", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:handled", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("web:failed", "web", "message", "{}", T0));
        await Inbox.TryAcceptAsync(new InboundEnvelope("slack:msg:C1:1.000001", "slack", "message-seen", "slack:Ev01", T0) { ProcessedAt = T0 });
        await Inbox.CompleteAsync("web:handled", []);
        await Inbox.MarkProcessedAsync("web:failed", "reference 5e6f7a8b: boom");
        var before = await Task.WhenAll(new[] { "web:pending", "web:handled", "slack:msg:C1:1.000001" }.Select(id => Inbox.FindAsync(id)));

        Assert.Null(await Inbox.ReopenAsync("web:unknown"));
        Assert.Null(await Inbox.ReopenAsync("web:pending"));
        Assert.Null(await Inbox.ReopenAsync("web:handled"));
        Assert.Null(await Inbox.ReopenAsync("slack:msg:C1:1.000001"));
        Assert.NotNull(await Inbox.ReopenAsync("web:failed"));
        Assert.Null(await Inbox.ReopenAsync("web:failed"));

        Assert.Equal(before, await Task.WhenAll(new[] { "web:pending", "web:handled", "slack:msg:C1:1.000001" }.Select(id => Inbox.FindAsync(id))));
        Assert.Null(await Inbox.FindAsync("web:unknown"));
        Assert.Equal(["web:failed", "web:pending"], (await Inbox.PendingAsync(10)).Select(e => e.PlatformId));
        Assert.Empty(await Inbox.FailedAsync(10));
    }

    private static OutboundMessage Reply(string id) =>
        new() { Id = id, Conversation = new ConversationRef("web", "dm-erin"), Card = new Card { Title = id }, CreatedAt = T0 };
}
