using ItChatBot.Core.Conversations;
using ItChatBot.Core.Workflows;
using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Automation.Workflows;

/// <summary>Run cursors in the store's LiteDB file (collection <c>workflow_runs</c>), written through the store's single writer.</summary>
public sealed class WorkflowRunStore : IWorkflowRunStore
{
    private const string Collection = "workflow_runs";
    private readonly LiteDbStore _store;

    public WorkflowRunStore(LiteDbStore store)
    {
        _store = store;
        store.Database.GetCollection(Collection).EnsureIndex("status", "$.status");
        store.Database.GetCollection(Collection).EnsureIndex("ticket", "$.ticket");
    }

    public Task SaveAsync(WorkflowRun run) => _store.WriteAsync(db => db.GetCollection(Collection).Upsert(ToDoc(run)));

    public Task<bool> TryAddAsync(WorkflowRun run, IReadOnlyList<OutboundMessage> messages) => _store.WriteAsync(db =>
    {
        var collection = db.GetCollection(Collection);
        if (collection.Exists(Query.EQ("_id", run.Id)))
        {
            return false;
        }

        collection.Insert(ToDoc(run));
        LiteDbStore.Enqueue(db, messages);
        return true;
    });

    public Task<WorkflowRun?> GetAsync(string id) =>
        Task.FromResult(_store.Database.GetCollection(Collection).FindById(id) is { } doc ? FromDoc(doc) : null);

    public Task<IReadOnlyList<WorkflowRun>> UnfinishedAsync()
    {
        IReadOnlyList<WorkflowRun> runs = [.. _store.Database.GetCollection(Collection)
            .Find(Query.In("status", nameof(WorkflowRunStatus.Running), nameof(WorkflowRunStatus.WaitingForApproval)))
            .Select(FromDoc)
            .OrderBy(r => r.StartedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
        return Task.FromResult(runs);
    }

    public Task<IReadOnlyList<WorkflowRun>> ForTicketAsync(string ticket)
    {
        IReadOnlyList<WorkflowRun> runs = [.. _store.Database.GetCollection(Collection).Find(BsonExpression.Create("$.ticket = @0", ticket)).Select(FromDoc).OrderBy(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
        return Task.FromResult(runs);
    }

    /// <summary>
    /// Always true: the file has one process, whose engine already advances a run one pass at a time (its lock per run).
    /// The PostgreSQL store must claim across instances instead (<see cref="PostgresWorkflowRunStore"/>).
    /// </summary>
    public Task<bool> TryClaimAsync(string runId, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<bool> ReleaseAsync(string runId, bool force = false, CancellationToken cancellationToken = default) => Task.FromResult(true);

    private static BsonDocument ToDoc(WorkflowRun run)
    {
        var slots = new BsonDocument();
        foreach (var (k, v) in run.Slots)
        {
            slots[k] = v;
        }

        return new BsonDocument
        {
            ["_id"] = run.Id,
            ["workflow"] = run.Workflow,
            ["ticket"] = run.Ticket,
            ["requester"] = run.Requester,
            ["slots"] = slots,
            ["next"] = run.NextStep,
            ["attempt"] = run.Attempt,
            ["status"] = run.Status.ToString(),
            ["due"] = run.DueAt.ToUnixTimeMilliseconds(),
            ["started"] = run.StartedAt.ToUnixTimeMilliseconds(),
            ["error"] = run.Error is null ? BsonValue.Null : run.Error,
        };
    }

    private static WorkflowRun FromDoc(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        Workflow = doc["workflow"].AsString,
        Ticket = doc["ticket"].AsString,
        Requester = doc["requester"].AsString,
        Slots = doc["slots"].AsDocument.ToDictionary(p => p.Key, p => p.Value.AsString),
        NextStep = doc["next"].AsInt32,
        Attempt = doc["attempt"].AsInt32,
        Status = Enum.Parse<WorkflowRunStatus>(doc["status"].AsString),
        DueAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["due"].AsInt64),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["started"].AsInt64),
        Error = doc["error"].IsNull ? null : doc["error"].AsString,
    };
}
