using System.Runtime.CompilerServices;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Npgsql;
using NpgsqlTypes;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// The event log, the ticket projections, the key counters and the thread links in PostgreSQL (Schema/0200-events.sql),
/// shared by several service instances. Behaves as the LiteDB store does; where it must differ because another instance
/// may write at the same time, the code says so.
/// </summary>
public sealed class PostgresStore(PostgresDatabase db) : IEventLog, ITicketStore
{
    /// <summary>The advisory lock every append and rebuild takes first (see <see cref="Append"/>).</summary>
    internal const string EventsLock = "events";

    private const int PageSize = 2000;
    private const int RowsPerStatement = 5000;

    /// <summary>Up to this many events an append looks all their ids up with its first read; more (an import) look up only what can be stored.</summary>
    private const int SmallAppend = 64;
    private const string EventColumns = "seq, eid, ticket, type, at, actor, actor_kind, data";
    private const string TicketColumns =
        "key, team, category, priority, requester, channel, conversation, thread, subject, assignee, tier, status, is_open, " +
        "created_at, updated_at, first_response_at, resolved_at, reopens, escalations, events, last_seq";

    // ---- event log -------------------------------------------------------------------------------------

    public Task<AppendResult> AppendAsync(
        IReadOnlyList<TicketEvent> events,
        IReadOnlyList<OutboundMessage>? outbox = null,
        ExpectedVersion? expected = null,
        CancellationToken cancellationToken = default)
    {
        AppendWatch.Note(events);
        return AppendWatch.NoteMessagesWhenWritten(db.WriteAsync((c, tx) => Append(c, tx, events, outbox, expected, check: false, cancellationToken), cancellationToken), outbox);
    }

    public Task<AppendResult> AppendCheckedAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        AppendWatch.Note(events);
        return db.WriteAsync((c, tx) => Append(c, tx, events, outbox: null, expected: null, check: true, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// One append, in one transaction: skip the ids the log holds, check the expected version, check (imports) and apply
    /// each new event to its ticket, insert the events, upsert the tickets, raise the counters and link the threads of
    /// creations, enqueue the outbox. Run again from the start by <see cref="PostgresDatabase.WriteAsync{T}"/> after a
    /// deadlock, so it keeps nothing between attempts.
    /// </summary>
    /// <remarks>
    /// Appends of every instance take the advisory lock <see cref="EventsLock"/> first and hand out positions inside it
    /// (the highest stored + 1), so one append commits before the next takes its positions: the log grows in the order of
    /// its positions. A sequence or identity column would not do: two appends take 10 and 11, 11 commits first, a reader
    /// following the log (<see cref="ReadAllAsync"/> after 10, as the KPI index and SLA monitor do) moves past 11, and 10
    /// is never read. The lock also makes the expected-version check and the ticket state the checks see current (the
    /// LiteDB store gets both from its single writer thread). The price: the lock is held until the commit is flushed, so
    /// the appends of all instances commit one after another; an append therefore does its reads in one round trip and
    /// its writes in another.
    /// </remarks>
    private static async Task<AppendResult> Append(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        IReadOnlyList<TicketEvent> events,
        IReadOnlyList<OutboundMessage>? outbox,
        ExpectedVersion? expected,
        bool check,
        CancellationToken cancellationToken)
    {
        await PostgresDatabase.LockAsync(c, tx, EventsLock, cancellationToken);

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Ticket is { } key)
            {
                keys.Add(key);
            }
        }

        if (expected is not null)
        {
            keys.Add(expected.Ticket);
        }

        // Read after the lock was granted, so they see every append committed before this one. A live append (a few
        // events) looks its ids up in the same round trip.
        var small = events.Count <= SmallAppend;
        var (last, held, stored) = await ReadStateAsync(c, tx, keys, small ? [.. events.Select(e => e.Id)] : [], cancellationToken);
        var changed = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        Ticket Load(string key)
        {
            if (!changed.TryGetValue(key, out var ticket))
            {
                ticket = held.GetValueOrDefault(key) ?? new Ticket { Key = key };
                changed[key] = ticket;
            }

            return ticket;
        }

        if (expected is not null && Load(expected.Ticket).EventCount != expected.EventCount)
        {
            throw new ConcurrencyException(expected.Ticket);
        }

        if (!small)
        {
            // As in the LiteDB store: an event is stored together with its ticket's projection, so only events of tickets
            // the store holds (and events of no ticket) can be in the log already; a first import looks nothing up.
            var lookUp = events.Where(e => e.Ticket is not { } key || held.ContainsKey(key)).Select(e => e.Id).Distinct(StringComparer.Ordinal).ToArray();
            stored = await StoredIdsAsync(c, tx, lookUp, cancellationToken);
        }

        var plan = AppendPlan.Decide(events, stored, check, Load, e => e with { Seq = ++last });
        var appended = plan.Fresh.Select(f => f.Event).ToList();
        var created = plan.Fresh.Where(f => f.Ticket is not null && f.Event.Type == EventType.Created).Select(f => f.Event).ToList();

        // Every write of the append in one round trip (the lock is held until the commit, so it is kept short).
        await using (var batch = new NpgsqlBatch(c, tx))
        {
            InsertEvents(batch, appended);
            UpsertTickets(batch, [.. plan.Touched]);
            Created(batch, created);
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (outbox is not null)
        {
            await Rows.EnqueueAsync(c, tx, outbox, cancellationToken);
        }

        return new AppendResult(appended, plan.Skipped) { Rejected = plan.Rejected };
    }

    private static async Task<(long Last, Dictionary<string, Ticket> Held, HashSet<string> Stored)> ReadStateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyCollection<string> keys, string[] ids, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var batch = new NpgsqlBatch(c, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select coalesce(max(seq), 0) from events"));
        if (keys.Count > 0)
        {
            batch.BatchCommands.Add(Command($"select {TicketColumns} from tickets where key = any($1)", keys.ToArray()));
        }

        if (ids.Length > 0)
        {
            batch.BatchCommands.Add(Command("select eid from events where eid = any($1)", ids));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var last = reader.GetInt64(0);
        if (keys.Count > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var ticket = ReadTicket(reader);
                held[ticket.Key] = ticket;
            }
        }

        if (ids.Length > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add(reader.GetString(0));
            }
        }

        return (last, held, stored);
    }

    private static async Task<HashSet<string>> StoredIdsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string[] ids, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand("select eid from events where eid = any($1)", c, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>The events in one statement per few thousand (arrays unnested into rows): an import's batch is one round trip.</summary>
    private static void InsertEvents(NpgsqlBatch batch, IReadOnlyList<TicketEvent> events)
    {
        foreach (var chunk in events.Chunk(RowsPerStatement))
        {
            var command = new NpgsqlBatchCommand(
                $"insert into events ({EventColumns}) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])");
            Add(command, chunk.Select(e => e.Seq).ToArray());
            Add(command, chunk.Select(e => e.Id).ToArray());
            Add(command, chunk.Select(e => e.Ticket).ToArray());
            Add(command, chunk.Select(e => e.Type.ToString()).ToArray());
            Add(command, chunk.Select(e => TicketEvent.Truncate(e.At)).ToArray());
            Add(command, chunk.Select(e => e.Actor).ToArray());
            Add(command, chunk.Select(e => e.ActorKind.ToString()).ToArray());
            Add(command, chunk.Select(e => EventDataJson.Write(e.Data)).ToArray());
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>
    /// Writes whole projections. Times are kept to the millisecond, as the LiteDB store keeps them, so a ticket reads
    /// back the same from either store.
    /// </summary>
    private static void UpsertTickets(NpgsqlBatch batch, IReadOnlyList<Ticket> tickets)
    {
        foreach (var chunk in tickets.Chunk(RowsPerStatement))
        {
            var command = new NpgsqlBatchCommand(
                $"""
                insert into tickets ({TicketColumns})
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::timestamptz[], $15::timestamptz[],
                    $16::timestamptz[], $17::timestamptz[], $18::integer[], $19::integer[], $20::integer[], $21::bigint[])
                on conflict (key) do update set
                    team = excluded.team, category = excluded.category, priority = excluded.priority, requester = excluded.requester,
                    channel = excluded.channel, conversation = excluded.conversation, thread = excluded.thread,
                    subject = excluded.subject, assignee = excluded.assignee, tier = excluded.tier, status = excluded.status,
                    is_open = excluded.is_open, created_at = excluded.created_at, updated_at = excluded.updated_at,
                    first_response_at = excluded.first_response_at, resolved_at = excluded.resolved_at,
                    reopens = excluded.reopens, escalations = excluded.escalations, events = excluded.events,
                    last_seq = excluded.last_seq
                """);
            // Keys in order, so two writes that upsert the same tickets lock their rows in the same order.
            Array.Sort(chunk, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            Add(command, chunk.Select(t => t.Key).ToArray());
            Add(command, chunk.Select(t => t.Team).ToArray());
            Add(command, chunk.Select(t => t.Category).ToArray());
            Add(command, chunk.Select(t => t.Priority).ToArray());
            Add(command, chunk.Select(t => t.Requester).ToArray());
            Add(command, chunk.Select(t => t.Channel).ToArray());
            Add(command, chunk.Select(t => t.Conversation).ToArray());
            Add(command, chunk.Select(t => t.Thread).ToArray());
            Add(command, chunk.Select(t => t.Subject).ToArray());
            Add(command, chunk.Select(t => t.Assignee).ToArray());
            Add(command, chunk.Select(t => t.Tier).ToArray());
            Add(command, chunk.Select(t => t.Status.ToString()).ToArray());
            Add(command, chunk.Select(t => t.IsOpen).ToArray());
            Add(command, chunk.Select(t => TicketEvent.Truncate(t.CreatedAt)).ToArray());
            Add(command, chunk.Select(t => TicketEvent.Truncate(t.UpdatedAt)).ToArray());
            Add(command, chunk.Select(t => Optional(t.FirstResponseAt)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
            Add(command, chunk.Select(t => Optional(t.ResolvedAt)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
            Add(command, chunk.Select(t => t.ReopenCount).ToArray());
            Add(command, chunk.Select(t => t.EscalationCount).ToArray());
            Add(command, chunk.Select(t => t.EventCount).ToArray());
            Add(command, chunk.Select(t => t.LastSeq).ToArray());
            batch.BatchCommands.Add(command);
        }
    }

    private static DateTimeOffset? Optional(DateTimeOffset? at) => at is { } value ? TicketEvent.Truncate(value) : null;

    /// <summary>
    /// What creations set beside their projections, in the same transaction: the key counters rise to their numbers, and
    /// the threads and deliveries they were requested in are linked to them (the log is the source of those links, so a
    /// rebuild restores them).
    /// </summary>
    private static void Created(NpgsqlBatch batch, IReadOnlyList<TicketEvent> created)
    {
        if (created.Count == 0)
        {
            return;
        }

        var highest = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var links = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in created)
        {
            if (TicketKey.TryParse(e.Ticket ?? "", out var parsed))
            {
                highest[parsed.Prefix] = Math.Max(highest.GetValueOrDefault(parsed.Prefix), parsed.Number);
            }

            if (e.Get(EventData.Thread) is { } thread && e.Get(EventData.Channel) is { } channel && e.Get(EventData.Conversation) is { } conversation)
            {
                links[Rows.ThreadKey(new ConversationRef(channel, conversation, thread))] = e.Ticket!;
            }

            if (e.Get(EventData.Delivery) is { } delivery)
            {
                links[Rows.DeliveryKey(delivery)] = e.Ticket!;
            }
        }

        if (highest.Count > 0)
        {
            // Counters only rise: an imported or replayed ticket may carry a number above any handed out, and a number
            // handed out whose ticket is stored later must not come back.
            var raise = new NpgsqlBatchCommand(
                "insert into counters (prefix, n) select * from unnest($1::text[], $2::integer[]) on conflict (prefix) do update set n = greatest(counters.n, excluded.n)");
            Add(raise, highest.Keys.ToArray());
            Add(raise, highest.Values.ToArray());
            batch.BatchCommands.Add(raise);
        }

        // Rows.LinkAsync's upsert (a later link of a key replaces it), for any number of links in one statement: a live
        // creation links one or two keys, an import or a rebuild thousands. Keys in order, as the tickets above.
        foreach (var chunk in links.Chunk(RowsPerStatement))
        {
            var link = new NpgsqlBatchCommand(
                "insert into thread_links (key, ticket) select * from unnest($1::text[], $2::text[]) on conflict (key) do update set ticket = excluded.ticket");
            Add(link, chunk.Select(l => l.Key).ToArray());
            Add(link, chunk.Select(l => l.Value).ToArray());
            batch.BatchCommands.Add(link);
        }
    }

    public Task<IReadOnlySet<string>> ContainsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        eventIds.Count == 0
            ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal))
            : db.ReadAsync<IReadOnlySet<string>>(async c => await StoredIdsAsync(c, null, [.. eventIds], cancellationToken), cancellationToken);

    public Task<IReadOnlyList<TicketEvent>> ReadTicketAsync(string ticketKey, CancellationToken cancellationToken = default) =>
        db.ReadAsync(c => ReadEventsAsync(c, "where ticket = $1 order by seq", cancellationToken, ticketKey), cancellationToken);

    /// <remarks>
    /// A page at a time, each on a connection of its own for one statement. No position is skipped by a reader that follows
    /// the log while instances append: positions are handed out and committed one append after another (see
    /// <see cref="Append"/>), so whatever a page sees, every lower position was committed before it.
    /// While the caller works through a full page the next one is read on the thread pool: a starting instance's KPI index
    /// folds a million tickets' events into its rollups as fast as they are read, so reading ahead lets the two run on two
    /// cores instead of taking turns (benchmarks/README.md, "Starting on PostgreSQL with a million tickets"). A caller
    /// following the log, with nothing or a few events new, gets one short page and no read ahead.
    /// </remarks>
    public async IAsyncEnumerable<TicketEvent> ReadAllAsync(long afterSeq = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Task<IReadOnlyList<TicketEvent>>? next = ReadPageAsync(afterSeq, cancellationToken);
        try
        {
            while (next is not null)
            {
                var page = await next;
                cancellationToken.ThrowIfCancellationRequested();
                next = page.Count < PageSize ? null : ReadPageAsync(page[^1].Seq, cancellationToken);
                foreach (var e in page)
                {
                    yield return e;
                }
            }
        }
        finally
        {
            // A caller that stops early has no use for the page read ahead: wait for it only so that its connection is back
            // in the pool when the enumeration ends, whatever became of it.
            if (next is not null)
            {
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The events after <paramref name="after"/>, up to <see cref="PageSize"/>, read on the thread pool.</summary>
    private Task<IReadOnlyList<TicketEvent>> ReadPageAsync(long after, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return db.ReadAsync(c => ReadEventsAsync(c, "where seq > $1 order by seq limit $2", cancellationToken, after, (long)PageSize), cancellationToken);
            },
            cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("select count(*) from events", cancellationToken);

    public Task<long> LastSeqAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("select coalesce(max(seq), 0) from events", cancellationToken);

    private static async Task<IReadOnlyList<TicketEvent>> ReadEventsAsync(NpgsqlConnection c, string filter, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand($"select {EventColumns} from events {filter}", c);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var events = new List<TicketEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    private static TicketEvent ReadEvent(NpgsqlDataReader r) => new()
    {
        Seq = r.GetInt64(0),
        Id = r.GetString(1),
        Ticket = r.IsDBNull(2) ? null : r.GetString(2),
        Type = Enum.Parse<EventType>(r.GetString(3)),
        At = r.GetFieldValue<DateTimeOffset>(4),
        Actor = r.GetString(5),
        ActorKind = Enum.Parse<ActorKind>(r.GetString(6)),
        Data = EventDataJson.Read(r.GetString(7)),
    };

    // ---- tickets ---------------------------------------------------------------------------------------

    public Task<Ticket?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand($"select {TicketColumns} from tickets where key = $1", c);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadTicket(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Ticket>> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<Ticket>>(async c =>
        {
            await using var command = new NpgsqlCommand { Connection = c };
            var clauses = new List<string>();
            void Equal(string column, string? value)
            {
                if (value is not null)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                    clauses.Add($"{column} = ${command.Parameters.Count}");
                }
            }

            Equal("team", query.Team);
            Equal("assignee", query.Assignee);
            Equal("requester", query.Requester);
            if (query.OpenOnly)
            {
                clauses.Add("is_open");
            }

            if (query.ResolvedSince is { } since)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = since });
                clauses.Add($"not is_open and resolved_at >= ${command.Parameters.Count}");
            }

            Equal("status", query.Status?.ToString());
            command.Parameters.Add(new NpgsqlParameter { Value = (long)Math.Max(0, query.Limit) });
            var where = clauses.Count == 0 ? "" : "where " + string.Join(" and ", clauses);
            // Oldest first; the same creation time in key order, as the LiteDB store's stable sort over its key order gives.
            command.CommandText = $"select {TicketColumns} from tickets {where} order by created_at, key limit ${command.Parameters.Count}";
            var tickets = new List<Ticket>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tickets.Add(ReadTicket(reader));
            }

            return tickets;
        }, cancellationToken);

    public Task<IReadOnlyList<TicketVersion>> OpenVersionsAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<TicketVersion>>(async c =>
        {
            await using var command = new NpgsqlCommand("select key, created_at, last_seq from tickets where is_open order by created_at, key", c);
            var versions = new List<TicketVersion>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add(new TicketVersion(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2)));
            }

            return versions;
        }, cancellationToken);

    /// <remarks>
    /// One atomic upsert of the prefix's counter row. The LiteDB store serves this from memory without a write (its process
    /// is the file's only writer); here another instance hands out numbers from the same counter, so each call is a write
    /// and nothing is kept in memory.
    /// </remarks>
    public Task<int> NextNumberAsync(string prefix, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            await using var command = new NpgsqlCommand(
                "insert into counters (prefix, n) values ($1, 1) on conflict (prefix) do update set n = counters.n + 1 returning n", c, tx);
            command.Parameters.Add(new NpgsqlParameter { Value = prefix });
            return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task LinkThreadAsync(ConversationRef thread, string ticketKey, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => Rows.LinkAsync(c, tx, Rows.ThreadKey(thread), ticketKey, cancellationToken), cancellationToken);

    public Task<string?> FindTicketByThreadAsync(ConversationRef thread, CancellationToken cancellationToken = default) =>
        FindLinkAsync(Rows.ThreadKey(thread), cancellationToken);

    public Task<string?> FindTicketByDeliveryAsync(string platformId, CancellationToken cancellationToken = default) =>
        FindLinkAsync(Rows.DeliveryKey(platformId), cancellationToken);

    private Task<string?> FindLinkAsync(string key, CancellationToken cancellationToken) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand("select ticket from thread_links where key = $1", c);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            return (string?)await command.ExecuteScalarAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Replays the whole log into fresh projections in one transaction, under the appends' lock so that no append lands
    /// between the replay and the new projections. Counters only rise and thread links made by other parts stay, as in the
    /// LiteDB store.
    /// </summary>
    public Task RebuildAsync(CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            await PostgresDatabase.LockAsync(c, tx, EventsLock, cancellationToken);
            var tickets = new Dictionary<string, Ticket>(StringComparer.Ordinal);
            var created = new List<TicketEvent>();
            await using (var command = new NpgsqlCommand($"select {EventColumns} from events where ticket is not null order by seq", c, tx))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var e = ReadEvent(reader);
                    var key = e.Ticket!;
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
            }

            await using var batch = new NpgsqlBatch(c, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("delete from tickets"));
            UpsertTickets(batch, [.. tickets.Values]);
            Created(batch, created);
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return tickets.Count;
        }, cancellationToken);

    private static Ticket ReadTicket(NpgsqlDataReader r) => new()
    {
        Key = r.GetString(0),
        Team = r.GetString(1),
        Category = r.GetString(2),
        Priority = r.GetString(3),
        Requester = r.GetString(4),
        Channel = r.GetString(5),
        Conversation = r.IsDBNull(6) ? null : r.GetString(6),
        Thread = r.IsDBNull(7) ? null : r.GetString(7),
        Subject = r.GetString(8),
        Assignee = r.IsDBNull(9) ? null : r.GetString(9),
        Tier = r.GetString(10),
        Status = Enum.Parse<TicketStatus>(r.GetString(11)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
        FirstResponseAt = r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
        ResolvedAt = r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16),
        ReopenCount = r.GetInt32(17),
        EscalationCount = r.GetInt32(18),
        EventCount = r.GetInt32(19),
        LastSeq = r.GetInt64(20),
    };

    private Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken) =>
        db.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand(sql, c);
            return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    private static NpgsqlBatchCommand Command(string sql, object value)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static void Add(NpgsqlBatchCommand command, object value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } t)
        {
            parameter.NpgsqlDbType = t;
        }

        command.Parameters.Add(parameter);
    }
}
