using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Conversations;
using ItChatBot.Storage.Postgres;

namespace ItChatBot.Automation.Tests.Contracts;

public sealed class LiteDbWorkflowRunStoreTests : WorkflowRunStoreContract
{
    private readonly LiteDbBackend _backend = new();

    protected override Task<IWorkflowRunStore> CreateStoreAsync() => Task.FromResult<IWorkflowRunStore>(new WorkflowRunStore(_backend.Store));

    protected override Task<bool> QueuedAsync(string messageId) => _backend.QueuedAsync(messageId);

    protected override Task EnqueueAsync(OutboundMessage message) => _backend.Store.EnqueueAsync([message]);

    public override Task DisposeAsync()
    {
        _backend.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresWorkflowRunStoreTests : WorkflowRunStoreContract
{
    private PostgresBackend _backend = null!;

    protected override async Task<IWorkflowRunStore> CreateStoreAsync()
    {
        _backend = await PostgresBackend.CreateAsync();
        return new PostgresWorkflowRunStore(_backend.Db, _backend.Instance);
    }

    protected override Task<bool> QueuedAsync(string messageId) => _backend.QueuedAsync(messageId);

    protected override Task EnqueueAsync(OutboundMessage message) => _backend.Db.WriteAsync((c, tx) => Rows.EnqueueAsync(c, tx, [message]));

    public override async Task DisposeAsync() => await _backend.DisposeAsync();

    private async Task<PostgresWorkflowRunStore> OtherAsync(string id)
    {
        var (db, instance) = await _backend.OtherInstanceAsync(id);
        return new PostgresWorkflowRunStore(db, instance);
    }

    [Fact]
    public async Task Of_two_instances_claiming_a_run_at_once_one_advances_it_and_the_other_gets_it_a_further_pass()
    {
        var second = await OtherAsync("second");
        for (var i = 0; i < 10; i++)
        {
            var id = $"r-IT-{i}-1";
            await Store.SaveAsync(Run(id, $"IT-{i}"));

            var claims = await Task.WhenAll(Store.TryClaimAsync(id), second.TryClaimAsync(id));

            Assert.Single(claims, c => c);
            var (holder, other) = claims[0] ? (Store, (IWorkflowRunStore)second) : (second, Store);
            Assert.False(await other.TryClaimAsync(id), "the run stays claimed while its holder advances it");
            Assert.False(await holder.ReleaseAsync(id), "the other instance asked for one more pass");
            Assert.True(await holder.ReleaseAsync(id));
            Assert.True(await other.TryClaimAsync(id), "released, the run can be claimed by the other");
            Assert.True(await other.ReleaseAsync(id));
        }
    }

    [Fact]
    public async Task Of_two_instances_adding_one_run_id_at_once_exactly_one_adds_it()
    {
        var second = await OtherAsync("second");
        for (var i = 0; i < 10; i++)
        {
            var id = $"r-IT-{i}-1";

            var added = await Task.WhenAll(
                Store.TryAddAsync(Run(id, $"IT-{i}") with { Workflow = "first" }, []),
                second.TryAddAsync(Run(id, $"IT-{i}") with { Workflow = "second" }, []));

            Assert.Single(added, a => a);
            Assert.Equal(added[0] ? "first" : "second", (await Store.GetAsync(id))!.Workflow);
        }
    }

    [Fact]
    public async Task Saving_a_run_keeps_its_claim()
    {
        var second = await OtherAsync("second");
        await Store.SaveAsync(Run("r-IT-1-1"));
        Assert.True(await Store.TryClaimAsync("r-IT-1-1"));

        await Store.SaveAsync(Run("r-IT-1-1") with { NextStep = 1 });
        await second.SaveAsync(Run("r-IT-1-1") with { NextStep = 1 });

        Assert.False(await second.TryClaimAsync("r-IT-1-1"));
    }

    [Fact]
    public async Task Another_instance_cannot_release_a_claim_it_does_not_hold()
    {
        var second = await OtherAsync("second");
        var third = await OtherAsync("third");
        await Store.SaveAsync(Run("r-IT-1-1"));
        Assert.True(await Store.TryClaimAsync("r-IT-1-1"));

        await second.ReleaseAsync("r-IT-1-1", force: true);

        Assert.False(await third.TryClaimAsync("r-IT-1-1"));
    }

    [Fact]
    public async Task A_run_claimed_by_an_instance_that_stopped_is_taken_over_by_one_other_instance()
    {
        var (db, crashed) = await _backend.OtherInstanceAsync("crashed");
        var stopped = new PostgresWorkflowRunStore(db, crashed);
        var second = await OtherAsync("second");
        var third = await OtherAsync("third");
        await Store.SaveAsync(Run("r-IT-1-1"));
        Assert.True(await stopped.TryClaimAsync("r-IT-1-1"));
        Assert.False(await second.TryClaimAsync("r-IT-1-1"), "its instance still runs");

        await crashed.DisposeAsync();
        var takers = await Task.WhenAll(second.TryClaimAsync("r-IT-1-1"), third.TryClaimAsync("r-IT-1-1"));

        Assert.Single(takers, t => t);
        Assert.False(await Store.TryClaimAsync("r-IT-1-1"));
    }

    [Fact]
    public async Task A_claim_made_before_the_instance_started_names_a_live_instance()
    {
        // The store starts its instance's presence itself, so other instances never mistake a fresh claim for a dead one.
        var lateDb = new PostgresDatabase(_backend.Test.ConnectionString);
        await using var late = new PostgresInstance(lateDb, "late");
        var store = new PostgresWorkflowRunStore(lateDb, late);
        var second = await OtherAsync("second");
        await Store.SaveAsync(Run("r-IT-1-1"));

        Assert.True(await store.TryClaimAsync("r-IT-1-1"));
        Assert.False(await second.TryClaimAsync("r-IT-1-1"));
        await late.DisposeAsync();
        await lateDb.DisposeAsync();
    }
}
