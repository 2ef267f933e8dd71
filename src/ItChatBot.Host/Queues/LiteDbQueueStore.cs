using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Storage.LiteDb;
using LiteDB;

namespace ItChatBot.Host.Queues;

/// <summary>
/// The queues' own collections in the store's LiteDB file, written on its single group-commit writer thread.
/// Times are UTC unix milliseconds, as elsewhere in the file.
/// </summary>
public sealed class LiteDbQueueStore : IQueueStore
{
    private const string Posts = "queue_posts";
    private const string Once = "queue_once";
    private const string Checkpoints = "queue_checkpoints";
    private const string Surveys = "queue_surveys";

    private readonly LiteDbStore _store;

    public LiteDbQueueStore(LiteDbStore store)
    {
        _store = store;
        _store.Database.GetCollection(Posts).EnsureIndex("ticket", "$.ticket");
        _store.Database.GetCollection(Posts).EnsureIndex("unlinked", "$.unlinked");
        _store.Database.GetCollection(Surveys).EnsureIndex("due", "$.due");
        _store.EnsureCollections(Once, Checkpoints);
    }

    public Task<bool> TryAddPostAsync(QueuePost post, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db =>
        {
            var col = db.GetCollection(Posts);
            if (col.FindById(post.Id) is not null)
            {
                return false;
            }

            col.Insert(ToDocument(post));
            foreach (var message in post.Messages.Where(m => m.ThreadId is not null))
            {
                LiteDbStore.LinkThread(db, new ConversationRef(message.Channel, message.ConversationId, message.ThreadId), post.Ticket);
            }

            LiteDbStore.Enqueue(db, messages);
            return true;
        });

    public Task<IReadOnlyList<QueuePost>> PostsOfAsync(string ticket, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<QueuePost> posts = [.. _store.Database.GetCollection(Posts).Find(BsonExpression.Create("$.ticket = @0", ticket)).Select(ToPost).OrderBy(p => p.PostedAt)];
        return Task.FromResult(posts);
    }

    public Task<IReadOnlyList<QueuePost>> UnlinkedPostsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<QueuePost> posts = [.. _store.Database.GetCollection(Posts).Find(Query.EQ("unlinked", true)).Select(ToPost)];
        return Task.FromResult(posts);
    }

    public Task UpdatePostAsync(QueuePost post, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db => db.GetCollection(Posts).Upsert(ToDocument(post)));

    public Task<IReadOnlySet<string>> MarkedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        var col = _store.Database.GetCollection(Once);
        IReadOnlySet<string> marked = keys.Where(key => col.FindById(key) is not null).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(marked);
    }

    public Task<bool> TryMarkOnceAsync(IReadOnlyCollection<string> keys, DateTimeOffset at, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db =>
        {
            // One writer thread and one transaction: nothing can come between the look and the inserts.
            var col = db.GetCollection(Once);
            if (keys.Any(key => col.FindById(key) is not null))
            {
                return false;
            }

            col.Insert(keys.Select(key => new BsonDocument { ["_id"] = key, ["at"] = at.ToUnixTimeMilliseconds() }));
            LiteDbStore.Enqueue(db, messages);
            return true;
        });

    public Task<long> GetCheckpointAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_store.Database.GetCollection(Checkpoints).FindById(name)?["seq"].AsInt64 ?? 0L);

    public Task SetCheckpointAsync(string name, long seq, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db => db.GetCollection(Checkpoints).Upsert(new BsonDocument { ["_id"] = name, ["seq"] = seq }));

    public Task ScheduleSurveyAsync(PendingSurvey survey, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db =>
        {
            var col = db.GetCollection(Surveys);
            if (col.FindById(survey.ResolutionEventId) is not null)
            {
                return false;
            }

            col.Insert(new BsonDocument
            {
                ["_id"] = survey.ResolutionEventId,
                ["ticket"] = survey.Ticket,
                ["due"] = survey.Due.ToUnixTimeMilliseconds(),
            });
            return true;
        });

    public Task<IReadOnlyList<PendingSurvey>> DueSurveysAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PendingSurvey> due = [.. _store.Database.GetCollection(Surveys)
            .Find(BsonExpression.Create("$.due <= @0", now.ToUnixTimeMilliseconds()), limit: max)
            .Select(d => new PendingSurvey(d["_id"].AsString, d["ticket"].AsString, DateTimeOffset.FromUnixTimeMilliseconds(d["due"].AsInt64)))];
        return Task.FromResult(due);
    }

    public Task RemoveSurveyAsync(string resolutionEventId, CancellationToken cancellationToken = default) =>
        _store.WriteAsync(db => db.GetCollection(Surveys).Delete(resolutionEventId));

    private static BsonDocument ToDocument(QueuePost post) => new()
    {
        ["_id"] = post.Id,
        ["ticket"] = post.Ticket,
        ["team"] = post.Team,
        ["at"] = post.PostedAt.ToUnixTimeMilliseconds(),
        ["unlinked"] = post.Messages.Any(m => m.ThreadId is null),
        ["msgs"] = new BsonArray(post.Messages.Select(m => new BsonDocument
        {
            ["ch"] = m.Channel,
            ["conv"] = m.ConversationId,
            ["out"] = m.OutboundId,
            ["thr"] = m.ThreadId is null ? BsonValue.Null : new BsonValue(m.ThreadId),
        })),
    };

    private static QueuePost ToPost(BsonDocument doc) => new(
        doc["ticket"].AsString,
        doc["team"].AsString,
        DateTimeOffset.FromUnixTimeMilliseconds(doc["at"].AsInt64),
        [.. doc["msgs"].AsArray.Select(v => v.AsDocument).Select(m => new QueuePostMessage(
            m["ch"].AsString, m["conv"].AsString, m["out"].AsString, m["thr"].IsNull ? null : m["thr"].AsString))]);
}
