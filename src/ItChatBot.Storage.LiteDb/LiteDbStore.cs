using System.Runtime.CompilerServices;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using LiteDB;
using LiteDB.Engine;

namespace ItChatBot.Storage.LiteDb;

/// <summary>
/// The embedded store: one LiteDB file holding the event log, the ticket projections, inbound envelopes,
/// the outbox, key counters and thread links. One <see cref="LiteDatabase"/> per file (Direct mode; Shared
/// reopens the file on every call), written by one thread with group commit.
/// </summary>
public sealed class LiteDbStore : IEventLog, ITicketStore, IInbox, IOutbox, IDisposable
{
    internal const string Events = "events";
    internal const string Tickets = "tickets";
    internal const string Inbox = "inbox";

    /// <summary>
    /// The platform ids of envelopes processed with an error, with when (<see cref="FailedAsync"/>). Kept apart rather than
    /// as an index on the inbox's error, which every delivery would write to.
    /// </summary>
    internal const string InboxFailed = "inbox_failed";
    internal const string Outbox = "outbox";
    internal const string Counters = "counters";
    internal const string Threads = "threads";
    private const int PageSize = 2000;

    // Parameterised expressions are parsed once and cached; Query.EQ(field, value) builds a new expression for
    // every value, which measured about 40 times slower per lookup (see benchmarks/README.md).
    private const string ByEventId = "$.eid = @0";
    private const string ByEventIds = "$.eid IN @0";
    private static readonly BsonExpression SeqOnly = BsonExpression.Create("{ s: $._id }");
    private static readonly BsonExpression OpenVersion = BsonExpression.Create("{ k: $._id, c: $.createdAt, s: $.lastSeq }");
    private static readonly BsonExpression EventIdOnly = BsonExpression.Create("{ eid: $.eid }");
    private const string ByTicket = "$.t = @0";
    private const string AfterSeq = "$._id > @0";
    private const string IsOpen = "$.open = true";
    private const string ByState = "$.state = @0";
    private const string ByMessageId = "$.mid = @0";
    private const string ByConversation = "$.conv = @0";
    private const string CreatedPlaceholder = "$created";

    private readonly FileStream _lock;
    private readonly LogFile _log;
    private readonly GroupCommitWriter _writer;
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private int _disposed;

    /// <param name="path">The data file; created with its folder when missing.</param>
    /// <param name="lowerWriterPriority">Run the one writer thread at the after-ack loops' lower priority (see <see cref="GroupCommitWriter"/>).</param>
    public LiteDbStore(string path, bool lowerWriterPriority = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        _lock = Lock(full);
        try
        {
            // The log is our stream so that a commit costs two fsyncs rather than one per page (see LogFile).
            _log = new LogFile(LogFile.For(full));
            var settings = new EngineSettings { Filename = full, LogStream = _log };
            if (!File.Exists(full))
            {
                // Every key here (event ids, ticket keys, platform ids) is an exact, case-sensitive identifier, so a new
                // file compares strings ordinally: LiteDB's default (the current culture, ignoring case) made index
                // comparisons the largest single cost of an import. An existing file keeps the collation it was made with.
                settings.Collation = new Collation("en-US/Ordinal");
            }

            Database = new LiteDatabase(new LiteEngine(settings), new BsonMapper());
            Database.GetCollection(Events, BsonAutoId.Int64).EnsureIndex("eid", "$.eid", unique: true);
            Database.GetCollection(Events, BsonAutoId.Int64).EnsureIndex("t", "$.t");
            Database.GetCollection(Tickets).EnsureIndex("team", "$.team");
            Database.GetCollection(Tickets).EnsureIndex("assignee", "$.assignee");
            Database.GetCollection(Tickets).EnsureIndex("requester", "$.requester");
            Database.GetCollection(Outbox, BsonAutoId.Int64).EnsureIndex("mid", "$.mid", unique: true);
            Database.GetCollection(Outbox, BsonAutoId.Int64).EnsureIndex("state", "$.state");
            Database.GetCollection(Outbox, BsonAutoId.Int64).EnsureIndex("conv", "$.conv");
            // LiteDB copies its write-ahead log into the data file (one fsync) whenever the log passes this many 8 KB pages,
            // inside the commit that crossed it. Its default, 1,000, keeps that pause short. (It was 20,000 while every page
            // of a commit had an fsync of its own; with two per commit, 20,000 made each checkpoint a ~200 ms stall: chat
            // round trip p99 at 100/s 141 ms against 35 ms at 1,000. Imports run at the same rate either way.)
            Database.CheckpointSize = 1_000;
            // LiteDB's first commit starts its log writer on a thread of its own and returns before the pages are written;
            // after that the writer runs inline in each commit (which is what makes a returned commit durable). A checkpoint
            // waits for those first writes, so no write of ours is ever acknowledged while LiteDB is still writing it.
            Database.Checkpoint();
            _writer = new GroupCommitWriter(Database, _log.Sync, lowerWriterPriority);
            EnsureCollections(Inbox, InboxFailed, Counters, Threads);
        }
        catch
        {
            // A file LiteDB cannot open, or a store whose collections could not be made, must not stay open or locked by a
            // store that never opened.
            _writer?.Dispose();
            Database?.Dispose();
            _log?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Holds <c>{file}.lock</c> exclusively while the store is open. LiteDB's Direct mode opens its file shared for reading,
    /// which on Linux takes no exclusive lock: <c>itchatbot import</c> run beside the service wrote the same file, the service
    /// did not see the import, and its next commit failed ("this page should be in slot #0") and took the process down. The
    /// lock file stays when the store closes (deleting it would let two processes each lock a file of their own); the lock
    /// itself ends with the process, however it ends.
    /// </summary>
    private static FileStream Lock(string full)
    {
        try
        {
            return new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (HeldByAnother(ex))
        {
            throw new DataFileInUseException(full, ex);
        }
    }

    // Linux and macOS report the lock taken (EWOULDBLOCK) by its errno; Windows by a sharing or lock violation.
    private static bool HeldByAnother(IOException ex) =>
        OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult is 11 or 35;

    /// <summary>The open database, for other parts of this project (directory, later rollups) to keep their collections in the same file.</summary>
    public LiteDatabase Database { get; }

    /// <summary>Commits and writes so far (the benchmarks print it: writes per commit is the group-commit gain).</summary>
    public WriterStats WriterStats => _writer.Stats with { LogSyncs = _log.Syncs, LogConfirmations = _log.Confirmations };

    /// <summary>Runs a write on the writer thread, inside a transaction shared with concurrent writes.</summary>
    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> write) => _writer.WriteAsync(write);

    /// <summary>
    /// Creates those of the named collections that do not exist yet, and returns when that is committed. Every store on
    /// this file calls it from its constructor for each collection it reads outside the writer and does not already create
    /// there with <c>EnsureIndex</c>, so that no collection is ever created by a first write while another thread reads it.
    /// </summary>
    /// <remarks>
    /// LiteDB 5 cannot read a collection while the transaction that creates it commits: the reader finds the new collection
    /// page through the shared header but reads it at its own older snapshot, gets an empty page, and the engine closes
    /// itself ("page type must be collection page", litedb-org/LiteDB#2792), failing every later read and write until the
    /// process restarts. A fresh file's first tickets could meet it (the ticket counter and thread links are read outside the
    /// writer), and a CI run of the tests did. LiteDB has no "create collection": an insert creates one, so an insert and a delete of a
    /// placeholder in one transaction leave it created and empty.
    /// </remarks>
    public void EnsureCollections(params string[] names)
    {
        if (names.All(Database.CollectionExists))
        {
            return;
        }

        _writer.WriteAsync(db =>
        {
            foreach (var name in names.Where(n => !db.CollectionExists(n)))
            {
                var col = db.GetCollection(name);
                col.Insert(new BsonDocument { ["_id"] = CreatedPlaceholder });
                col.Delete(CreatedPlaceholder);
            }

            return true;
        }).GetAwaiter().GetResult();
    }

    // ---- event log -------------------------------------------------------------------------------------

    public Task<AppendResult> AppendAsync(
        IReadOnlyList<TicketEvent> events,
        IReadOnlyList<OutboundMessage>? outbox = null,
        ExpectedVersion? expected = null,
        CancellationToken cancellationToken = default)
    {
        AppendWatch.Note(events);
        return AppendWatch.NoteMessagesWhenWritten(_writer.WriteAsync(db => Append(db, events, outbox, expected, check: false)), outbox);
    }

    public Task<AppendResult> AppendCheckedAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        AppendWatch.Note(events);
        return _writer.WriteAsync(db => Append(db, events, outbox: null, expected: null, check: true));
    }

    private AppendResult Append(LiteDatabase db, IReadOnlyList<TicketEvent> events, IReadOnlyList<OutboundMessage>? outbox, ExpectedVersion? expected, bool check)
    {
        var eventCol = db.GetCollection(Events, BsonAutoId.Int64);
        var ticketCol = db.GetCollection(Tickets);
        var changed = new Dictionary<string, Ticket>();
        var held = new HashSet<string>(StringComparer.Ordinal);

        Ticket Load(string key)
        {
            if (!changed.TryGetValue(key, out var ticket))
            {
                if (ticketCol.FindById(key) is { } doc)
                {
                    ticket = Documents.ToTicket(doc);
                    held.Add(key);
                }
                else
                {
                    ticket = new Ticket { Key = key };
                }

                changed[key] = ticket;
            }

            return ticket;
        }

        if (expected is not null && Load(expected.Ticket).EventCount != expected.EventCount)
        {
            throw new ConcurrencyException(expected.Ticket);
        }

        // Decide first (skip what the log holds, check what is new), then insert the new events in one call:
        // LiteDB assigns each document its _id (the log position) in place, and one bulk insert costs much less
        // than one insert per event. Tickets see the new events in batch order, before their positions are known.
        // An event is stored together with its ticket's projection, so the log cannot hold an event of a ticket the
        // store does not hold: only events of known tickets (and events of no ticket) are looked up by id. A first
        // import of a history looks nothing up; importing it again looks up every event, as it must.
        foreach (var e in events)
        {
            if (e.Ticket is { } key)
            {
                Load(key);
            }
        }

        var stored = StoredIds(eventCol, [.. events.Where(e => e.Ticket is not { } key || held.Contains(key))]);
        var plan = AppendPlan.Decide(events, stored, check, Load);
        var fresh = plan.Fresh.Select(f => (f.Event, f.Ticket, Document: Documents.FromEvent(f.Event))).ToList();

        eventCol.Insert(fresh.Select(f => f.Document));
        var appended = new List<TicketEvent>(fresh.Count);
        foreach (var (e, ticket, document) in fresh)
        {
            var positioned = e with { Seq = document["_id"].AsInt64 };
            appended.Add(positioned);
            if (ticket is null)
            {
                continue;
            }

            ticket.LastSeq = Math.Max(ticket.LastSeq, positioned.Seq);
            if (e.Type == EventType.Created)
            {
                Created(db, e);
            }
        }

        foreach (var ticket in plan.Touched)
        {
            ticketCol.Upsert(Documents.FromTicket(ticket));
        }

        if (outbox is not null)
        {
            Enqueue(db, outbox);
        }

        return new AppendResult(appended, plan.Skipped) { Rejected = plan.Rejected };
    }

    /// <summary>
    /// What a ticket's creation sets beside its projection: the key counter, and the link from the thread the
    /// request was made in (the log is the source of that link, so a rebuild restores it, and opening a ticket
    /// needs no commit of its own for it).
    /// </summary>
    private void Created(LiteDatabase db, TicketEvent created)
    {
        if (TicketKey.TryParse(created.Ticket ?? "", out var parsed))
        {
            RaiseCounter(db, parsed.Prefix, parsed.Number);
        }

        if (created.Get(EventData.Thread) is { } thread && created.Get(EventData.Channel) is { } channel && created.Get(EventData.Conversation) is { } conversation)
        {
            LinkThread(db, new ConversationRef(channel, conversation, thread), created.Ticket!);
        }

        if (created.Get(EventData.Delivery) is { } delivery)
        {
            db.GetCollection(Threads).Upsert(new BsonDocument { ["_id"] = Documents.DeliveryKey(delivery), ["ticket"] = created.Ticket });
        }
    }

    /// <summary>
    /// Which of these events the log holds already. A few are looked up one by one; a batch (an import, a seed) in
    /// one query with all its ids, which parses and plans once instead of once per event.
    /// </summary>
    private static HashSet<string> StoredIds(ILiteCollection<BsonDocument> eventCol, IReadOnlyList<TicketEvent> events)
    {
        if (events.Count == 0)
        {
            return [];
        }

        if (events.Count <= 8)
        {
            return events.Where(e => eventCol.Exists(ByEventId, e.Id)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        }

        var ids = new BsonArray(events.Select(e => new BsonValue(e.Id)));
        return eventCol.Query().Where(BsonExpression.Create(ByEventIds, ids)).Select(EventIdOnly).ToEnumerable()
            .Select(d => d["eid"].AsString)
            .ToHashSet(StringComparer.Ordinal);
    }

    private void RaiseCounter(LiteDatabase db, string prefix, int number)
    {
        var counters = db.GetCollection(Counters);
        var current = counters.FindById(prefix)?["n"].AsInt32 ?? 0;
        if (number > current)
        {
            counters.Upsert(new BsonDocument { ["_id"] = prefix, ["n"] = number });
        }

        // An imported or replayed ticket may carry a number above any handed out here.
        lock (_numbers)
        {
            if (number > LastNumber(prefix))
            {
                _numbers[prefix] = number;
            }
        }
    }

    public Task<IReadOnlySet<string>> ContainsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        var col = Database.GetCollection(Events, BsonAutoId.Int64);
        IReadOnlySet<string> found = eventIds.Where(id => col.Exists(ByEventId, id)).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<TicketEvent>> ReadTicketAsync(string ticketKey, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TicketEvent> events = [.. Database.GetCollection(Events, BsonAutoId.Int64)
            .Find(BsonExpression.Create(ByTicket, ticketKey))
            .Select(Documents.ToEvent)
            .OrderBy(e => e.Seq)];
        return Task.FromResult(events);
    }

    public async IAsyncEnumerable<TicketEvent> ReadAllAsync(long afterSeq = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var col = Database.GetCollection(Events, BsonAutoId.Int64);
        var after = afterSeq;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = col.Find(BsonExpression.Create(AfterSeq, after), 0, PageSize).Select(Documents.ToEvent).ToList();
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Seq;
            await Task.Yield();
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Events, BsonAutoId.Int64).LongCount());

    public Task<long> LastSeqAsync(CancellationToken cancellationToken = default)
    {
        // The last entry of the _id index: one seek, where Count() walked the whole log and Max throws when it is empty.
        var last = Database.GetCollection(Events, BsonAutoId.Int64).Query().OrderByDescending("_id").Select(SeqOnly).Limit(1).ToDocuments().FirstOrDefault();
        return Task.FromResult(last is null ? 0L : last["s"].AsInt64);
    }

    // ---- tickets ---------------------------------------------------------------------------------------

    public Task<Ticket?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Tickets).FindById(key) is { } doc ? Documents.ToTicket(doc) : null);

    public Task<IReadOnlyList<Ticket>> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default)
    {
        // One expression with numbered parameters: Query.And of parameterised expressions drops their parameters,
        // so a combined filter (team and open) matched nothing.
        var clauses = new List<string>();
        var args = new List<BsonValue>();
        void Equal(string field, string? value)
        {
            if (value is not null)
            {
                clauses.Add($"$.{field} = @{args.Count}");
                args.Add(value);
            }
        }

        Equal("team", query.Team);
        Equal("assignee", query.Assignee);
        Equal("requester", query.Requester);
        if (query.OpenOnly)
        {
            clauses.Add(IsOpen);
        }

        if (query.ResolvedSince is { } since)
        {
            clauses.Add($"$.open = false AND $.resolvedAt >= @{args.Count}");
            args.Add(Documents.Ms(since));
        }

        Equal("status", query.Status?.ToString());

        var col = Database.GetCollection(Tickets);
        var found = clauses.Count == 0 ? col.FindAll() : col.Find(BsonExpression.Create(string.Join(" AND ", clauses), [.. args]));
        IReadOnlyList<Ticket> result = [.. found.Select(Documents.ToTicket).OrderBy(t => t.CreatedAt).Take(query.Limit)];
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<TicketVersion>> OpenVersionsAsync(CancellationToken cancellationToken = default)
    {
        // Three fields per ticket: the documents are still read whole, but none of them outlives this call.
        IReadOnlyList<TicketVersion> result =
        [
            .. Database.GetCollection(Tickets).Query().Where(IsOpen).Select(OpenVersion).ToDocuments()
                .Select(d => new TicketVersion(d["k"].AsString, Documents.At(d["c"]), d["s"].AsInt64))
                .OrderBy(v => v.CreatedAt),
        ];
        return Task.FromResult(result);
    }

    /// <remarks>
    /// Served from memory, without a write of its own: this process is the file's only writer (the store's lock file holds
    /// it exclusively), so the highest number handed out since start, seeded from the stored counter, is exact.
    /// The counter on disk rises with every appended <see cref="EventType.Created"/> (in the same transaction as
    /// the ticket), which is what keeps a number from being handed out again after a restart; a number whose
    /// ticket was never stored can come back, and nobody holds it. Saves a commit on every ticket opened.
    /// </remarks>
    public Task<int> NextNumberAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (_numbers)
        {
            var next = LastNumber(prefix) + 1;
            _numbers[prefix] = next;
            return Task.FromResult(next);
        }
    }

    private int LastNumber(string prefix)
    {
        if (!_numbers.TryGetValue(prefix, out var last))
        {
            last = Database.GetCollection(Counters).FindById(prefix)?["n"].AsInt32 ?? 0;
            _numbers[prefix] = last;
        }

        return last;
    }

    public Task LinkThreadAsync(ConversationRef thread, string ticketKey, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db => LinkThread(db, thread, ticketKey));

    /// <summary>Links a thread to a ticket inside a write already under way (<see cref="WriteAsync{T}"/>), for stores that keep their own records in this file.</summary>
    public static bool LinkThread(LiteDatabase db, ConversationRef thread, string ticketKey) =>
        db.GetCollection(Threads).Upsert(new BsonDocument { ["_id"] = Documents.ThreadKey(thread), ["ticket"] = ticketKey });

    public Task<string?> FindTicketByThreadAsync(ConversationRef thread, CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Threads).FindById(Documents.ThreadKey(thread))?["ticket"].AsString);

    public Task<string?> FindTicketByDeliveryAsync(string platformId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Threads).FindById(Documents.DeliveryKey(platformId))?["ticket"].AsString);

    public Task RebuildAsync(CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            var tickets = new Dictionary<string, Ticket>();
            var created = new List<TicketEvent>();
            foreach (var doc in db.GetCollection(Events, BsonAutoId.Int64).FindAll())
            {
                var e = Documents.ToEvent(doc);
                if (e.Ticket is not { } key)
                {
                    continue;
                }

                if (!tickets.TryGetValue(key, out var ticket))
                {
                    // Keyed as the live append keys it: a ticket whose log has no Created (appended unchecked) keeps its key.
                    tickets[key] = ticket = new Ticket { Key = key };
                }

                ticket.Apply(e);
                if (e.Type == EventType.Created)
                {
                    created.Add(e);
                }
            }

            var ticketCol = db.GetCollection(Tickets);
            ticketCol.DeleteAll();
            ticketCol.InsertBulk(tickets.Values.Select(Documents.FromTicket));

            // Counters only rise (a number handed out and then lost must not be handed out again), and thread links
            // made by other parts (queue posts) stay: both are set again from the creations, never cleared.
            foreach (var e in created)
            {
                Created(db, e);
            }

            return tickets.Count;
        });

    // ---- inbox -----------------------------------------------------------------------------------------

    public Task<bool> TryAcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            var col = db.GetCollection(Inbox);
            if (col.FindById(envelope.PlatformId) is not null)
            {
                return false;
            }

            col.Insert(new BsonDocument
            {
                ["_id"] = envelope.PlatformId,
                ["channel"] = envelope.Channel,
                ["kind"] = envelope.Kind,
                ["body"] = envelope.Body,
                ["at"] = Documents.Ms(envelope.ReceivedAt),
                ["done"] = envelope.ProcessedAt is not null,
                ["processedAt"] = envelope.ProcessedAt is { } processed ? Documents.Ms(processed) : BsonValue.Null,
                ["error"] = BsonValue.Null,
            });
            return true;
        });

    public Task MarkProcessedAsync(string platformId, string? error = null, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            MarkProcessed(db, platformId, error);
            return true;
        });

    public Task CompleteAsync(string platformId, IReadOnlyList<OutboundMessage> replies, string? error = null, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            Enqueue(db, replies);
            MarkProcessed(db, platformId, error);
            return true;
        });

    private static void MarkProcessed(LiteDatabase db, string platformId, string? error)
    {
        var col = db.GetCollection(Inbox);
        if (col.FindById(platformId) is { } doc)
        {
            doc["done"] = true;
            doc["processedAt"] = Documents.Ms(DateTimeOffset.UtcNow);
            doc["error"] = error is null ? BsonValue.Null : new BsonValue(NulCharacter.Visible(error));
            col.Update(doc);
            if (error is not null)
            {
                db.GetCollection(InboxFailed).Upsert(new BsonDocument { ["_id"] = platformId, ["at"] = doc["processedAt"] });
            }
        }
    }

    public Task<InboundEnvelope?> ReopenAsync(string platformId, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            var col = db.GetCollection(Inbox);
            if (col.FindById(platformId) is not { } doc || doc["error"].IsNull)
            {
                return null;
            }

            doc["done"] = false;
            doc["processedAt"] = BsonValue.Null;
            doc["error"] = BsonValue.Null;
            col.Update(doc);
            db.GetCollection(InboxFailed).Delete(platformId);
            return ToEnvelope(doc);
        });

    public Task<IReadOnlyList<InboundEnvelope>> PendingAsync(int max, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<InboundEnvelope> pending = [.. Database.GetCollection(Inbox)
            .Find("$.done = false").Take(max)
            .Select(d => new InboundEnvelope(d["_id"].AsString, d["channel"].AsString, d["kind"].AsString, d["body"].AsString, Documents.At(d["at"])))];
        return Task.FromResult(pending);
    }

    public async Task<IReadOnlyList<InboundEnvelope>> FailedAsync(int max, CancellationToken cancellationToken = default)
    {
        var failed = new List<InboundEnvelope>();
        foreach (var id in Database.GetCollection(InboxFailed).FindAll()
            .OrderByDescending(d => d["at"].AsInt64).ThenBy(d => d["_id"].AsString, StringComparer.Ordinal).Take(max)
            .Select(d => d["_id"].AsString))
        {
            if (await FindAsync(id, cancellationToken) is { } envelope)
            {
                failed.Add(envelope);
            }
        }

        return failed;
    }

    public Task<InboundEnvelope?> FindAsync(string platformId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Inbox).FindById(platformId) is { } d ? ToEnvelope(d) : null);

    private static InboundEnvelope ToEnvelope(BsonDocument d) =>
        new(d["_id"].AsString, d["channel"].AsString, d["kind"].AsString, d["body"].AsString, Documents.At(d["at"]))
        {
            ProcessedAt = d["processedAt"].IsNull ? null : Documents.At(d["processedAt"]),
            Error = d["error"].IsNull ? null : d["error"].AsString,
        };

    // ---- outbox ----------------------------------------------------------------------------------------

    public Task EnqueueAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db => Enqueue(db, messages));

    /// <summary>
    /// Adds messages to the outbox inside a write under way (an append, a turn's completion, an enqueue, or a record of a
    /// store that keeps its own collections in this file and sends with them, through <see cref="WriteAsync{T}"/>). A
    /// message whose id the outbox holds already is left out, as the event log leaves out a known event: a turn that runs
    /// again says its receipt (<c>receipt:IT-42</c>) again. Returns how many were added.
    /// </summary>
    public static int Enqueue(LiteDatabase db, IReadOnlyList<OutboundMessage> messages)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        var col = db.GetCollection(Outbox, BsonAutoId.Int64);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = messages.Where(m => seen.Add(m.Id) && !col.Exists(ByMessageId, m.Id)).ToList();
        return fresh.Count == 0 ? 0 : col.Insert(fresh.Select(Documents.FromOutbound));
    }

    public Task<IReadOnlyList<OutboxEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var due = Documents.Ms(now);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<OutboxEntry>();
        foreach (var doc in Database.GetCollection(Outbox, BsonAutoId.Int64)
            .Find(BsonExpression.Create(ByState, nameof(OutboxState.Pending)))
            .OrderBy(d => d["_id"].AsInt64))
        {
            if (doc["next"].AsInt64 > due)
            {
                waiting.Add(doc["mid"].AsString);
                continue;
            }

            // An update of a card that is itself still waiting for its next attempt waits too: sent now, it would find no
            // card to replace and go out as a second card, before the one it was meant to replace. So does a message
            // threaded under one (OutboundMessage.InThreadOf): it would go out in the conversation, not in the thread.
            var entry = Documents.ToOutbox(doc);
            if ((entry.Message.UpdateOf is { } earlier && waiting.Contains(earlier)) || (entry.Message.InThreadOf is { } parent && waiting.Contains(parent)))
            {
                continue;
            }

            entries.Add(entry);
            if (entries.Count == max)
            {
                break;
            }
        }

        return Task.FromResult<IReadOnlyList<OutboxEntry>>(entries);
    }

    public Task MarkSentAsync(string id, string platformMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
        MarkSentAsync([new SentMessage(id, platformMessageId, sentAt)], cancellationToken);

    public Task MarkSentAsync(IReadOnlyList<SentMessage> sent, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            var col = db.GetCollection(Outbox, BsonAutoId.Int64);
            foreach (var message in sent)
            {
                var doc = col.FindOne(ByMessageId, message.Id) ?? throw new InvalidOperationException($"No outbox message {message.Id}.");
                doc["state"] = nameof(OutboxState.Sent);
                doc["platformId"] = message.PlatformMessageId;
                doc["attempts"] = doc["attempts"].AsInt32 + 1;
                doc["error"] = BsonValue.Null;
                col.Update(doc);
            }

            return sent.Count;
        });

    public Task MarkFailedAsync(string id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        UpdateOutbox(id, doc =>
        {
            doc["attempts"] = doc["attempts"].AsInt32 + 1;
            doc["error"] = NulCharacter.Visible(error);
            doc["next"] = Documents.Ms(nextAttemptAt);
        });

    private Task UpdateOutbox(string id, Action<BsonDocument> change) =>
        _writer.WriteAsync(db =>
        {
            var col = db.GetCollection(Outbox, BsonAutoId.Int64);
            var doc = col.FindOne(ByMessageId, id) ?? throw new InvalidOperationException($"No outbox message {id}.");
            change(doc);
            return col.Update(doc);
        });

    public Task<OutboxEntry?> GetMessageAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Database.GetCollection(Outbox, BsonAutoId.Int64).FindOne(ByMessageId, id) is { } doc ? Documents.ToOutbox(doc) : null);

    public Task<IReadOnlyList<OutboxEntry>> FailingAsync(int max, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OutboxEntry> entries = [.. Database.GetCollection(Outbox, BsonAutoId.Int64)
            .Find(BsonExpression.Create(ByState, nameof(OutboxState.Pending)))
            .Where(d => d["attempts"].AsInt32 > 0)
            .OrderBy(d => d["_id"].AsInt64)
            .Take(max)
            .Select(Documents.ToOutbox)];
        return Task.FromResult(entries);
    }

    public Task<int> RetryNowAsync(string? id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(db =>
        {
            var col = db.GetCollection(Outbox, BsonAutoId.Int64);
            var due = Documents.Ms(now);
            var waiting = id is null
                ? col.Find(BsonExpression.Create(ByState, nameof(OutboxState.Pending))).Where(d => d["attempts"].AsInt32 > 0)
                : col.Find(BsonExpression.Create(ByMessageId, id)).Where(d => d["state"].AsString == nameof(OutboxState.Pending));
            var changed = 0;
            foreach (var doc in waiting.ToList())
            {
                if (doc["next"].AsInt64 > due)
                {
                    doc["next"] = due;
                    col.Update(doc);
                }

                changed++;
            }

            return changed;
        });

    public Task<IReadOnlyList<OutboxEntry>> ListConversationAsync(string channel, string conversationId, long afterSeq, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OutboxEntry> entries = [.. Database.GetCollection(Outbox, BsonAutoId.Int64)
            .Find(BsonExpression.Create(ByConversation, Documents.ConversationKey(channel, conversationId)))
            .Where(d => d["_id"].AsInt64 > afterSeq)
            .OrderBy(d => d["_id"].AsInt64)
            .Select(Documents.ToOutbox)];
        return Task.FromResult(entries);
    }

    public void Dispose()
    {
        // The container disposes the store once per interface it was resolved through: only the first call acts.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _writer.Dispose();
        Database.Dispose();
        _log.Dispose();

        // LiteDB deletes its own log file once a clean close has emptied it; ours is our stream, so we do.
        if (new FileInfo(_log.Path) is { Exists: true, Length: 0 })
        {
            File.Delete(_log.Path);
        }

        _lock.Dispose();
    }
}
