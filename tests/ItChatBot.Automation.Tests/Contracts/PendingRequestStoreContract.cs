using ItChatBot.Automation.Chat;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>What every <see cref="IPendingRequestStore"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class PendingRequestStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    protected static readonly ConversationRef Thread = new("slack", "C1", "1700000000.000100");

    protected IPendingRequestStore Store { get; private set; } = null!;

    protected abstract Task<IPendingRequestStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    protected static PendingRequest Offer(string id, int minute, string person = "erin", ConversationRef? origin = null, string? article = "kb/vpn-setup.md") =>
        new(id, person, "vpn is down", origin ?? Thread, article, null, T0.AddMinutes(minute));

    [Fact]
    public async Task A_pending_request_reads_back_whole()
    {
        var request = new PendingRequest("p1", "erin", "need github", new ConversationRef("web", "dm-erin", null), null, "app-access", T0.AddMilliseconds(250));

        await Store.AddAsync(request);

        Assert.Equal(request, await Store.GetAsync("p1"));
        Assert.Null(await Store.GetAsync("p2"));
    }

    [Fact]
    public async Task A_request_is_used_by_one_press_and_again_by_that_press_only()
    {
        await Store.AddAsync(Offer("p1", 0));

        Assert.True(await Store.TryUseAsync("p1", "press-1"));
        Assert.False(await Store.TryUseAsync("p1", "press-2"));
        Assert.True(await Store.TryUseAsync("p1", "press-1"));
        Assert.False(await Store.TryUseAsync("p-unknown", "press-1"));
        Assert.True((await Store.GetAsync("p1"))!.Used);
    }

    [Fact]
    public async Task The_open_offer_in_a_thread_is_the_persons_latest_unanswered_article()
    {
        await Store.AddAsync(Offer("p-old", 0));
        await Store.AddAsync(Offer("p-latest", 2));
        await Store.AddAsync(Offer("p-frank", 3, person: "frank"));
        await Store.AddAsync(Offer("p-other-thread", 4, origin: Thread with { ThreadId = "1700000000.000200" }));
        await Store.AddAsync(Offer("p-other-channel", 4, origin: Thread with { ConversationId = "C2" }));
        await Store.AddAsync(Offer("p-no-article", 5, article: null));

        Assert.Equal("p-latest", (await Store.OpenOfferInAsync(Thread, "erin", "m-9"))?.Id);

        Assert.True(await Store.TryUseAsync("p-latest", "press-1"));
        Assert.Equal("p-old", (await Store.OpenOfferInAsync(Thread, "erin", "m-9"))?.Id);
        Assert.Equal("p-latest", (await Store.OpenOfferInAsync(Thread, "erin", "press-1"))?.Id);
        Assert.Null(await Store.OpenOfferInAsync(Thread with { ThreadId = null }, "erin", "m-9"));
        Assert.Null(await Store.OpenOfferInAsync(Thread, "sam", "m-9"));
    }
}
