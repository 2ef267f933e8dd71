using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Tests.Contracts;

/// <summary>What every <see cref="IWorkflowRunStore"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class WorkflowRunStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected IWorkflowRunStore Store { get; private set; } = null!;

    protected abstract Task<IWorkflowRunStore> CreateStoreAsync();

    protected abstract Task<bool> QueuedAsync(string messageId);

    /// <summary>Queues a message in the outbox that a store of this kind writes to.</summary>
    protected abstract Task EnqueueAsync(OutboundMessage message);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public abstract Task DisposeAsync();

    protected static WorkflowRun Run(string id, string ticket = "IT-1", DateTimeOffset? started = null, WorkflowRunStatus status = WorkflowRunStatus.Running) => new()
    {
        Id = id,
        Workflow = "app-access",
        Ticket = ticket,
        Requester = "erin",
        Slots = new Dictionary<string, string> { ["application"] = "github", ["duration"] = "2h" },
        StartedAt = started ?? T0,
        DueAt = started ?? T0,
        Status = status,
    };

    [Fact]
    public async Task A_saved_run_reads_back_whole()
    {
        var run = Run("r-IT-1-1") with
        {
            NextStep = 2,
            Attempt = 1,
            Status = WorkflowRunStatus.WaitingForApproval,
            DueAt = T0.AddSeconds(5).AddMilliseconds(123),
            StartedAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)),
            Error = "503 ServiceUnavailable",
        };

        await Store.SaveAsync(run);
        var read = await Store.GetAsync(run.Id);

        Assert.NotNull(read);
        Assert.Equal((run.Id, run.Workflow, run.Ticket, run.Requester, run.NextStep, run.Attempt, run.Status, run.Error),
            (read.Id, read.Workflow, read.Ticket, read.Requester, read.NextStep, read.Attempt, read.Status, read.Error));
        Assert.Equal(run.DueAt, read.DueAt);
        Assert.Equal(run.StartedAt, read.StartedAt);
        Assert.Equal(TimeSpan.Zero, read.StartedAt.Offset);
        Assert.Equal(run.Slots.OrderBy(s => s.Key), read.Slots.OrderBy(s => s.Key));
        Assert.Null(await Store.GetAsync("r-IT-9-1"));
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond()
    {
        await Store.SaveAsync(Run("r-IT-1-1") with { DueAt = T0.AddTicks(1_234_567) });

        Assert.Equal(T0.AddMilliseconds(123), (await Store.GetAsync("r-IT-1-1"))!.DueAt);
    }

    [Fact]
    public async Task Saving_a_run_again_replaces_it()
    {
        await Store.SaveAsync(Run("r-IT-1-1"));
        await Store.SaveAsync(Run("r-IT-1-1", status: WorkflowRunStatus.Failed) with { NextStep = 3, Error = "boom" });

        var read = await Store.GetAsync("r-IT-1-1");
        Assert.Equal((WorkflowRunStatus.Failed, 3, "boom"), (read!.Status, read.NextStep, read.Error));
        Assert.Single(await Store.ForTicketAsync("IT-1"));
    }

    [Fact]
    public async Task Unfinished_runs_are_the_running_and_waiting_ones_oldest_first()
    {
        await Store.SaveAsync(Run("r-IT-3-1", "IT-3", T0.AddMinutes(3)));
        await Store.SaveAsync(Run("r-IT-1-1", "IT-1", T0.AddMinutes(1), WorkflowRunStatus.WaitingForApproval));
        await Store.SaveAsync(Run("r-IT-2-1", "IT-2", T0.AddMinutes(2), WorkflowRunStatus.Completed));
        await Store.SaveAsync(Run("r-IT-4-1", "IT-4", T0, WorkflowRunStatus.Failed));
        await Store.SaveAsync(Run("r-IT-5-1", "IT-5", T0, WorkflowRunStatus.Cancelled));
        await Store.SaveAsync(Run("r-IT-0-1", "IT-0", T0));

        Assert.Equal(["r-IT-0-1", "r-IT-1-1", "r-IT-3-1"], (await Store.UnfinishedAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task A_tickets_runs_are_listed_in_the_order_they_started()
    {
        await Store.SaveAsync(Run("r-IT-1-2", "IT-1", T0.AddMinutes(5), WorkflowRunStatus.Completed));
        await Store.SaveAsync(Run("r-IT-1-1", "IT-1", T0, WorkflowRunStatus.Failed));
        await Store.SaveAsync(Run("r-IT-2-1", "IT-2", T0));

        Assert.Equal(["r-IT-1-1", "r-IT-1-2"], (await Store.ForTicketAsync("IT-1")).Select(r => r.Id));
        Assert.Empty(await Store.ForTicketAsync("IT-7"));
    }

    [Fact]
    public async Task A_new_run_whose_messages_cannot_be_queued_is_not_added()
    {
        // A message the outbox cannot take (it names no conversation to send to), so the write fails as a whole.
        await Assert.ThrowsAnyAsync<Exception>(() => Store.TryAddAsync(Run("r-IT-1-1"), [Receipt("fresh"), Receipt("broken") with { Conversation = null! }]));

        Assert.Null(await Store.GetAsync("r-IT-1-1"));
        Assert.False(await QueuedAsync("fresh"));
    }

    [Fact]
    public async Task A_new_run_is_added_with_its_messages_in_one_write_only_while_its_id_is_free()
    {
        Assert.True(await Store.TryAddAsync(Run("r-IT-1-1"), [Receipt("first")]));

        Assert.False(await Store.TryAddAsync(Run("r-IT-1-1", status: WorkflowRunStatus.Failed) with { Workflow = "other" }, [Receipt("second")]));

        var kept = await Store.GetAsync("r-IT-1-1");
        Assert.Equal(("app-access", WorkflowRunStatus.Running), (kept!.Workflow, kept.Status));
        Assert.True(await QueuedAsync("first"));
        Assert.False(await QueuedAsync("second"), "a run not added queues nothing");
        Assert.True(await Store.TryAddAsync(Run("r-IT-1-2"), []));
        Assert.Equal(["r-IT-1-1", "r-IT-1-2"], (await Store.ForTicketAsync("IT-1")).Select(r => r.Id));
    }

    private static OutboundMessage Receipt(string id) => new()
    {
        Id = id,
        Conversation = new ConversationRef("web", "dm-erin", "m1"),
        Card = new Card { Title = "IT-1 received" },
        Ticket = "IT-1",
        CreatedAt = T0,
    };

    [Fact]
    public async Task An_instance_claims_a_run_again_while_it_holds_it_and_releases_it()
    {
        await Store.SaveAsync(Run("r-IT-1-1"));

        Assert.True(await Store.TryClaimAsync("r-IT-1-1"));
        Assert.True(await Store.TryClaimAsync("r-IT-1-1"));
        await Store.SaveAsync(Run("r-IT-1-1") with { NextStep = 1 });
        Assert.True(await Store.ReleaseAsync("r-IT-1-1"));
        Assert.True(await Store.TryClaimAsync("r-IT-1-1"));
        Assert.True(await Store.ReleaseAsync("r-IT-1-1", force: true));
        Assert.Equal(1, (await Store.GetAsync("r-IT-1-1"))!.NextStep);
    }
}
