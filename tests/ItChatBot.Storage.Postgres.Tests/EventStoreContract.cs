using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Storage.Postgres.Tests;

/// <summary>
/// What the event log and the ticket store promise, whichever store keeps them: every fact here runs on the LiteDB store
/// (<see cref="LiteDbEventStoreTests"/>) and on the PostgreSQL store (<see cref="PostgresEventStoreTests"/>). Most are the
/// LiteDB store's own tests (tests/ItChatBot.Storage.LiteDb.Tests/LiteDbStoreTests.cs), moved here to hold for both.
/// </summary>
public abstract class EventStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private (IEventLog Log, ITicketStore Tickets) _store;

    protected IEventLog Log => _store.Log;

    protected ITicketStore Tickets => _store.Tickets;

    /// <summary>Creates the empty storage (a file's folder, a database) that <see cref="OpenAsync"/> opens.</summary>
    protected abstract Task CreateStorageAsync();

    /// <summary>A store on the storage, as a service (re)started on it opens one.</summary>
    protected abstract Task<(IEventLog Log, ITicketStore Tickets)> OpenAsync();

    /// <summary>Closes the store <see cref="OpenAsync"/> gave, as a service stopping does.</summary>
    protected abstract Task CloseAsync((IEventLog Log, ITicketStore Tickets) store);

    protected abstract Task DeleteStorageAsync();

    /// <summary>The ids of the outbox messages waiting to be sent, in the order they were queued.</summary>
    protected abstract Task<IReadOnlyList<string>> PendingOutboxAsync();

    public async Task InitializeAsync()
    {
        await CreateStorageAsync();
        _store = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        await CloseAsync(_store);
        await DeleteStorageAsync();
    }

    /// <summary>Closes the store and opens it again on the same storage: a restart.</summary>
    protected async Task RestartAsync()
    {
        await CloseAsync(_store);
        _store = await OpenAsync();
    }

    [Fact]
    public async Task Appended_events_read_back_in_order_with_their_data_and_times()
    {
        var events = Events.Of("IT-1").Created(T0.AddTicks(12345), "P2", category: "vpn").Assigned(T0.AddMinutes(3), "A1").Survey(T0.AddHours(2), 4).List;

        var result = await Log.AppendAsync(events);
        var read = await Log.ReadTicketAsync("IT-1");

        Assert.Equal(3, result.Appended.Count);
        Assert.Equal(events.Select(e => (e.Id, e.Type, e.At, e.Actor, e.ActorKind)), read.Select(e => (e.Id, e.Type, e.At, e.Actor, e.ActorKind)));
        Assert.Equal("vpn", read[0].Get(EventData.Category));
        Assert.Equal(4, read[2].GetInt(EventData.Score));
        Assert.Equal(TimeSpan.Zero, read[0].At.Offset);
        Assert.True(read[0].Seq < read[1].Seq && read[1].Seq < read[2].Seq);
        Assert.Equal(result.Appended.Select(e => e.Seq), read.Select(e => e.Seq));
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond_in_utc_in_the_events_and_the_ticket()
    {
        // Built by hand, not by TicketEvent.New (which truncates): a time with ticks below the millisecond and an offset.
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(9_999);
        var created = Events.Of("IT-1").Created(T0).List[0] with { At = at };

        await Log.AppendAsync([created]);

        var read = Assert.Single(await Log.ReadTicketAsync("IT-1"));
        Assert.Equal(T0, read.At);
        Assert.Equal(TimeSpan.Zero, read.At.Offset);
        var ticket = await Tickets.GetAsync("IT-1");
        Assert.Equal((T0, T0, TimeSpan.Zero), (ticket!.CreatedAt, ticket.UpdatedAt, ticket.CreatedAt.Offset));
    }

    [Fact]
    public async Task An_event_id_is_appended_once_however_often_it_is_sent()
    {
        var events = Events.Of("IT-1").Created(T0).List;

        await Log.AppendAsync(events);
        var again = await Log.AppendAsync(events);

        Assert.Empty(again.Appended);
        Assert.Equal(1, again.Skipped);
        Assert.Equal(1, await Log.CountAsync());
        Assert.Equal(1, (await Tickets.GetAsync("IT-1"))!.EventCount);
    }

    [Fact]
    public async Task The_same_event_twice_in_one_append_is_stored_once()
    {
        var created = Events.Of("IT-1").Created(T0).List[0];

        var result = await Log.AppendAsync([created, created]);

        Assert.Equal((1, 1), (result.Appended.Count, result.Skipped));
        Assert.Equal(1, (await Tickets.GetAsync("IT-1"))!.EventCount);
    }

    [Fact]
    public async Task The_projection_follows_the_events()
    {
        await Log.AppendAsync(Events.Of("IT-7").Created(T0, "P1").Assigned(T0.AddMinutes(1), "A1")
            .Responded(T0.AddMinutes(2), "A1", ActorKind.Agent).Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);

        var ticket = await Tickets.GetAsync("IT-7");

        Assert.NotNull(ticket);
        Assert.Equal(("P1", "A1", TicketStatus.Resolved, false), (ticket.Priority, ticket.Assignee, ticket.Status, ticket.IsOpen));
        Assert.Equal(T0.AddMinutes(2), ticket.FirstResponseAt);
        Assert.Equal(T0.AddHours(1), ticket.ResolvedAt);
        Assert.Equal((4, await Log.LastSeqAsync()), (ticket.EventCount, ticket.LastSeq));
        Assert.Null(await Tickets.GetAsync("IT-8"));
    }

    [Fact]
    public async Task Open_versions_list_the_open_tickets_oldest_first_with_their_last_event_and_a_status_query_finds_that_status_alone()
    {
        await Log.AppendAsync(Events.Of("IT-10").Created(T0.AddMinutes(5)).List);
        await Log.AppendAsync(Events.Of("IT-2").Created(T0).Status(T0.AddMinutes(1), TicketStatus.PendingApproval).List);
        await Log.AppendAsync(Events.Of("IT-3").Created(T0.AddMinutes(2)).Resolved(T0.AddMinutes(3)).List);

        var versions = await Tickets.OpenVersionsAsync();
        var pending = await Tickets.QueryAsync(new TicketQuery { OpenOnly = true, Status = TicketStatus.PendingApproval, Limit = int.MaxValue });

        // Oldest first, not in key order ("IT-10" sorts before "IT-2"); IT-2's last event is the third one stored.
        Assert.Equal([("IT-2", T0, 3L), ("IT-10", T0.AddMinutes(5), 1L)], versions.Select(v => (v.Key, v.CreatedAt, v.LastSeq)));
        Assert.Equal((await Tickets.GetAsync("IT-2"))!.LastSeq, versions[0].LastSeq);
        Assert.Equal(["IT-2"], pending.Select(t => t.Key));
    }

    [Fact]
    public async Task A_query_for_resolutions_since_an_instant_finds_the_tickets_resolved_then_and_no_longer_open()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0, requester: "U1").Resolved(T0.AddDays(1)).List);
        await Log.AppendAsync(Events.Of("IT-2").Created(T0, requester: "U1").Resolved(T0.AddDays(3)).List);
        await Log.AppendAsync(Events.Of("IT-3").Created(T0, requester: "U2").Resolved(T0.AddDays(4)).List);
        await Log.AppendAsync(Events.Of("IT-4").Created(T0, requester: "U1").Resolved(T0.AddDays(5)).Add(EventType.Reopened, T0.AddDays(6), "U1", ActorKind.Requester).List);
        await Log.AppendAsync(Events.Of("IT-5").Created(T0.AddDays(2), requester: "U1").Resolved(T0.AddDays(3)).List);

        var since = await Tickets.QueryAsync(new TicketQuery { Requester = "U1", ResolvedSince = T0.AddDays(3), Limit = int.MaxValue });

        // IT-1 was resolved before, IT-3 is U2's, IT-4 is open again; the same instant counts; oldest created first.
        Assert.Equal(["IT-2", "IT-5"], since.Select(t => t.Key));
    }

    [Fact]
    public async Task A_query_filters_by_team_assignee_requester_and_openness_oldest_first_up_to_its_limit()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0.AddMinutes(3), requester: "U1").Assigned(T0.AddMinutes(4), "A1").List);
        await Log.AppendAsync(Events.Of("IT-2").Created(T0.AddMinutes(1), requester: "U2").Assigned(T0.AddMinutes(4), "A1").Resolved(T0.AddMinutes(5)).List);
        await Log.AppendAsync(Events.Of("HR-1").Created(T0.AddMinutes(2), team: "HR", requester: "U1").List);
        await Log.AppendAsync(Events.Of("IT-3").Created(T0, requester: "U1").Assigned(T0.AddMinutes(4), "A2").List);

        async Task<string[]> Keys(TicketQuery q) => [.. (await Tickets.QueryAsync(q)).Select(t => t.Key)];

        Assert.Equal(["IT-3", "IT-2", "HR-1", "IT-1"], await Keys(new TicketQuery()));
        Assert.Equal(["IT-3", "IT-2", "IT-1"], await Keys(new TicketQuery { Team = "IT" }));
        Assert.Equal(["IT-3", "IT-1"], await Keys(new TicketQuery { Team = "IT", OpenOnly = true }));
        Assert.Equal(["IT-2", "IT-1"], await Keys(new TicketQuery { Assignee = "A1" }));
        Assert.Equal(["IT-1"], await Keys(new TicketQuery { Assignee = "A1", OpenOnly = true }));
        Assert.Equal(["IT-3", "HR-1", "IT-1"], await Keys(new TicketQuery { Requester = "U1" }));
        Assert.Equal(["IT-3", "HR-1"], await Keys(new TicketQuery { Requester = "U1", Limit = 2 }));
        Assert.Equal(["IT-2"], await Keys(new TicketQuery { Status = TicketStatus.Resolved }));
        Assert.Empty(await Keys(new TicketQuery { Team = "it" }));
    }

    [Fact]
    public async Task Rebuilding_gives_the_same_tickets_as_the_live_projection()
    {
        var random = new Random(7);
        for (var i = 1; i <= 60; i++)
        {
            var e = Events.Of($"IT-{i}").Created(T0.AddMinutes(i), $"P{1 + (i % 4)}").Assigned(T0.AddMinutes(i + 1), $"A{i % 3}");
            if (random.Next(3) > 0)
            {
                e.Resolved(T0.AddMinutes(i + 30), $"A{i % 3}", ActorKind.Agent);
                if (i % 5 == 0)
                {
                    e.Reopened(T0.AddMinutes(i + 60));
                }
            }

            await Log.AppendAsync(e.List);
        }

        var live = await Tickets.QueryAsync(new TicketQuery { Limit = 1000 });
        await Tickets.RebuildAsync();
        var rebuilt = await Tickets.QueryAsync(new TicketQuery { Limit = 1000 });

        Assert.Equal(60, live.Count);
        Assert.Equal(Snapshot(live), Snapshot(rebuilt));
        Assert.Equal(61, await Tickets.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task A_rebuild_never_lowers_a_counter()
    {
        for (var i = 0; i < 5; i++)
        {
            await Tickets.NextNumberAsync("IT");
        }

        await Log.AppendAsync(Events.Of("IT-2").Created(T0).List);
        await Tickets.RebuildAsync();

        Assert.Equal(6, await Tickets.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task Data_keys_that_differ_only_in_case_are_kept_apart_and_a_rebuild_gives_the_same_ticket()
    {
        // What an imported JSONL line carrying both "category" and an exporter's own "Category" becomes.
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            ("Category", "Hardware > Laptop"), (EventData.Category, "hardware"), (EventData.Team, "IT"), (EventData.Priority, "P2"),
            (EventData.Requester, "U1"), (EventData.Subject, "help \"quoted\" \\ ünïcode \u0001")).List;
        await Log.AppendAsync(created);
        var live = await Tickets.GetAsync("IT-1");

        var read = Assert.Single(await Log.ReadTicketAsync("IT-1"));
        await Tickets.RebuildAsync();
        var rebuilt = await Tickets.GetAsync("IT-1");

        Assert.Equal(("hardware", "Hardware > Laptop"), (read.Get(EventData.Category), read.Get("Category")));
        Assert.Equal(created[0].Data.OrderBy(d => d.Key, StringComparer.Ordinal), read.Data.OrderBy(d => d.Key, StringComparer.Ordinal));
        Assert.Equal("hardware", live!.Category);
        Assert.Equal(Snapshot([live]), Snapshot([rebuilt!]));
        Assert.Equal("hardware", rebuilt!.Category);
        Assert.Equal("help \"quoted\" \\ ünïcode \u0001", rebuilt.Subject);
    }

    [Fact]
    public async Task Rebuilding_keeps_tickets_whose_log_has_no_creation_under_their_key()
    {
        // An unchecked append (AppendAsync checks nothing) of history whose Created was never stored.
        await Log.AppendAsync(Events.Of("IT-5").Assigned(T0, "A1").Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);
        await Log.AppendAsync(Events.Of("IT-6").Assigned(T0, "A2").List);
        var live = await Tickets.QueryAsync(new TicketQuery { Limit = 1000 });

        await Tickets.RebuildAsync();
        var rebuilt = await Tickets.QueryAsync(new TicketQuery { Limit = 1000 });

        Assert.Equal(["IT-5", "IT-6"], live.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Snapshot(live), Snapshot(rebuilt));
        Assert.Equal(("A2", default(DateTimeOffset)), ((await Tickets.GetAsync("IT-6"))!.Assignee, (await Tickets.GetAsync("IT-6"))!.CreatedAt));
    }

    [Fact]
    public async Task Events_of_no_ticket_are_logged_without_a_ticket()
    {
        var deflected = TicketEvent.New(null, EventType.Deflected, T0, "U3", ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Team] = "IT", [EventData.Article] = "kb/vpn-setup.md" });

        var result = await Log.AppendAsync([deflected]);
        var again = await Log.AppendCheckedAsync([deflected]);

        var read = new List<TicketEvent>();
        await foreach (var e in Log.ReadAllAsync())
        {
            read.Add(e);
        }

        var stored = Assert.Single(read);
        Assert.Equal((deflected.Id, (string?)null, "kb/vpn-setup.md"), (stored.Id, stored.Ticket, stored.Get(EventData.Article)));
        Assert.Equal(result.Appended[0].Seq, stored.Seq);
        Assert.Equal((0, 1), (again.Appended.Count, again.Skipped));
        Assert.Empty(await Tickets.QueryAsync(new TicketQuery()));
    }

    [Fact]
    public async Task An_empty_log_counts_nothing_and_reads_nothing()
    {
        Assert.Equal(0, await Log.CountAsync());
        Assert.Equal(0, await Log.LastSeqAsync());
        Assert.Empty(await Log.ContainsAsync([]));
        Assert.Empty(await Log.ContainsAsync(["e-1"]));
        Assert.Empty(await Log.ReadTicketAsync("IT-1"));
        await foreach (var e in Log.ReadAllAsync())
        {
            Assert.Fail($"read {e.Id} from an empty log");
        }

        Assert.Empty(await Tickets.OpenVersionsAsync());
        Assert.Empty((await Log.AppendAsync([])).Appended);
    }

    [Fact]
    public async Task Contains_names_the_ids_the_log_holds()
    {
        var events = Events.Of("IT-1").Created(T0).Assigned(T0, "A1").List;
        await Log.AppendAsync(events);

        var found = await Log.ContainsAsync([events[1].Id, "not-stored", events[0].Id]);

        Assert.Equal(new[] { events[0].Id, events[1].Id }.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reading_the_whole_log_goes_page_by_page_in_log_order_from_any_position()
    {
        // More than one page (2,000 events) in one append, as an import batch writes them.
        var events = new List<TicketEvent>();
        for (var i = 1; i <= 1100; i++)
        {
            events.AddRange(Events.Of($"IT-{i}").Created(T0.AddSeconds(i)).Assigned(T0.AddSeconds(i + 1), "A1").Resolved(T0.AddSeconds(i + 2)).List);
        }

        var result = await Log.AppendCheckedAsync(events);

        var all = new List<TicketEvent>();
        await foreach (var e in Log.ReadAllAsync())
        {
            all.Add(e);
        }

        var middle = result.Appended[2500].Seq;
        var rest = new List<long>();
        await foreach (var e in Log.ReadAllAsync(middle))
        {
            rest.Add(e.Seq);
        }

        Assert.Equal((3300, 0), (result.Appended.Count, result.Rejected.Count));
        Assert.Equal(events.Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(result.Appended.Select(e => e.Seq), all.Select(e => e.Seq));
        Assert.Equal(all.Select(e => e.Seq).Order(), all.Select(e => e.Seq));
        Assert.Equal(all.Where(e => e.Seq > middle).Select(e => e.Seq), rest);
        Assert.Equal(3300, await Log.CountAsync());
        Assert.Equal(all[^1].Seq, await Log.LastSeqAsync());
        Assert.Equal(1100, (await Tickets.QueryAsync(new TicketQuery { Limit = 5000 })).Count);
        Assert.Equal(1101, await Tickets.NextNumberAsync("IT"));

        var again = await Log.AppendCheckedAsync(events);
        Assert.Equal((0, 3300, 0), (again.Appended.Count, again.Skipped, again.Rejected.Count));
        Assert.Equal(3300, await Log.CountAsync());
    }

    [Fact]
    public async Task A_reader_that_stops_or_is_cancelled_part_way_through_the_log_gets_no_further_page_and_the_next_reader_gets_it_all()
    {
        // More than one page, so that the second page may already be on its way when the reader stops.
        var events = new List<TicketEvent>();
        for (var i = 1; i <= 1000; i++)
        {
            events.AddRange(Events.Of($"IT-{i}").Created(T0.AddSeconds(i)).Assigned(T0.AddSeconds(i + 1), "A1").Resolved(T0.AddSeconds(i + 2)).List);
        }

        await Log.AppendCheckedAsync(events);

        var firstOnly = new List<TicketEvent>();
        await foreach (var e in Log.ReadAllAsync())
        {
            firstOnly.Add(e);
            break;
        }

        using var cancel = new CancellationTokenSource();
        var beforeCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in Log.ReadAllAsync(0, cancel.Token))
            {
                beforeCancel++;
                await cancel.CancelAsync();
            }
        });

        var all = new List<long>();
        await foreach (var e in Log.ReadAllAsync())
        {
            all.Add(e.Seq);
        }

        Assert.Equal(events[0].Id, Assert.Single(firstOnly).Id);
        Assert.InRange(beforeCancel, 1, events.Count - 1);
        Assert.Equal(events.Count, all.Count);
        Assert.Equal(all.Order(), all);
    }

    [Fact]
    public async Task Data_reads_back_as_written_whatever_its_keys_and_an_event_without_data_has_none()
    {
        var longKey = new string('k', 40);
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            (EventData.Team, "IT"), (EventData.Category, "vpn"), (EventData.Priority, "P3"), (EventData.Requester, "U1"),
            (longKey, "a key longer than any field name"), ("catégorie", "réseau"), ("requester\"", "a quote in a key"), ("", "an empty key")).List;
        var bare = TicketEvent.New("IT-1", EventType.Responded, T0.AddMinutes(1), "automation", ActorKind.Automation);
        await Log.AppendAsync([.. created, bare]);

        var byTicket = await Log.ReadTicketAsync("IT-1");
        var all = new List<TicketEvent>();
        await foreach (var e in Log.ReadAllAsync())
        {
            all.Add(e);
        }

        foreach (var read in new[] { byTicket, all })
        {
            Assert.Equal(created[0].Data.OrderBy(d => d.Key, StringComparer.Ordinal), read[0].Data.OrderBy(d => d.Key, StringComparer.Ordinal));
            Assert.Equal("a quote in a key", read[0].Get("requester\""));
            Assert.Equal("U1", read[0].Get(EventData.Requester));
            Assert.Empty(read[1].Data);
            Assert.Null(read[1].Get(EventData.Team));
        }
    }

    [Fact]
    public async Task Eight_appenders_at_once_lose_nothing()
    {
        const int perAppender = 40;
        var appenders = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perAppender; i++)
            {
                await Log.AppendAsync(Events.Of($"T{t}-{i + 1}").Created(T0.AddSeconds(i)).List);
            }
        }));

        await Task.WhenAll(appenders);

        Assert.Equal(8 * perAppender, await Log.CountAsync());
        var seqs = new List<long>();
        await foreach (var e in Log.ReadAllAsync())
        {
            seqs.Add(e.Seq);
        }

        Assert.Equal(8 * perAppender, seqs.Distinct().Count());
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(8 * perAppender, (await Tickets.QueryAsync(new TicketQuery { Limit = 10_000 })).Count);
    }

    [Fact]
    public async Task Concurrent_key_numbers_are_never_handed_out_twice()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Tickets.NextNumberAsync("HR")));

        Assert.Equal(Enumerable.Range(1, 200), numbers.Order());
    }

    [Fact]
    public async Task A_checked_append_leaves_out_what_breaks_a_tickets_rules_judged_on_the_log_and_the_batch_so_far()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);
        var known = (await Log.ReadTicketAsync("IT-1"))[0];

        var batch = new List<TicketEvent>();
        batch.Add(known);                                                                  // 0: already in the log
        batch.AddRange(Events.Of("IT-1").Resolved(T0.AddHours(2), "A1", ActorKind.Agent).List); // 1: resolved twice
        batch.AddRange(Events.Of("IT-2").Created(T0).List);                                  // 2
        batch.AddRange(Events.Of("IT-2").Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List); // 3: legal after 2
        batch.AddRange(Events.Of("IT-3").Assigned(T0, "A1").List);                           // 4: no such ticket
        var result = await Log.AppendCheckedAsync(batch);

        Assert.Equal([batch[2].Id, batch[3].Id], result.Appended.Select(e => e.Id));
        Assert.Equal(1, result.Skipped);
        Assert.Equal([1, 4], result.Rejected.Select(r => r.Index));
        Assert.Contains("IT-1", result.Rejected[0].Reason);
        Assert.Equal(TicketStatus.Resolved, (await Tickets.GetAsync("IT-2"))!.Status);
        Assert.Null(await Tickets.GetAsync("IT-3"));
        Assert.Equal(4, await Log.CountAsync());
        Assert.Equal(result.Appended[^1].Seq, (await Tickets.GetAsync("IT-2"))!.LastSeq);
        Assert.Equal(await Log.LastSeqAsync(), result.Appended[^1].Seq);
    }

    [Fact]
    public async Task The_thread_a_ticket_was_requested_in_is_linked_by_storing_its_creation_and_kept_by_a_rebuild()
    {
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            (EventData.Team, "IT"), (EventData.Category, "vpn"), (EventData.Priority, "P3"), (EventData.Requester, "U1"),
            (EventData.Channel, "slack"), (EventData.Conversation, "D1"), (EventData.Thread, "1700000000.000100")).List;
        await Log.AppendAsync(created);
        await Tickets.LinkThreadAsync(new ConversationRef("slack", "C-queue", "1700000001.000200"), "IT-1");

        Assert.Equal("IT-1", await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.000100")));
        await Tickets.RebuildAsync();
        Assert.Equal("IT-1", await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.000100")));
        Assert.Equal("IT-1", await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "C-queue", "1700000001.000200")));
        Assert.Null(await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.999999")));
    }

    [Fact]
    public async Task Many_creations_in_one_append_link_their_threads_and_raise_each_prefix_to_its_highest_number()
    {
        var events = new List<TicketEvent>();
        for (var i = 1; i <= 30; i++)
        {
            var prefix = i % 3 == 0 ? "HR" : "IT";
            events.AddRange(Events.Of($"{prefix}-{i}").Add(EventType.Created, T0.AddMinutes(i), "U1", ActorKind.Requester,
                (EventData.Team, prefix), (EventData.Requester, "U1"), (EventData.Channel, "slack"), (EventData.Conversation, "D1"),
                (EventData.Thread, $"1700.{i}"), (EventData.Delivery, $"slack:cmd-{i}")).List);
        }

        await Log.AppendCheckedAsync(events);

        Assert.Equal("HR-30", await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700.30")));
        Assert.Equal("IT-29", await Tickets.FindTicketByDeliveryAsync("slack:cmd-29"));
        Assert.Equal(30, await Tickets.NextNumberAsync("IT"));
        Assert.Equal(31, await Tickets.NextNumberAsync("HR"));
    }

    [Fact]
    public async Task Key_numbers_handed_out_and_stored_are_not_handed_out_again_after_a_restart()
    {
        var first = new[] { await Tickets.NextNumberAsync("IT"), await Tickets.NextNumberAsync("IT"), await Tickets.NextNumberAsync("IT") };
        foreach (var n in first)
        {
            await Log.AppendAsync(Events.Of($"IT-{n}").Created(T0).List);
        }

        await RestartAsync();

        Assert.Equal([1, 2, 3], first);
        Assert.Equal(4, await Tickets.NextNumberAsync("IT"));
        Assert.Equal(1, await Tickets.NextNumberAsync("SEC"));
    }

    [Fact]
    public async Task An_imported_ticket_above_the_numbers_handed_out_moves_the_next_number_past_it()
    {
        Assert.Equal(1, await Tickets.NextNumberAsync("IT"));

        await Log.AppendAsync(Events.Of("IT-40").Created(T0).List);

        Assert.Equal(41, await Tickets.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task An_append_that_expects_an_older_version_fails_and_changes_nothing()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List);
        await Log.AppendAsync(Events.Of("IT-1").Assigned(T0.AddMinutes(1), "A1").List, expected: new ExpectedVersion("IT-1", 1));

        var stale = Events.Of("IT-1").Assigned(T0.AddMinutes(2), "A2").List;
        var error = await Assert.ThrowsAsync<ConcurrencyException>(() => Log.AppendAsync(stale, [Message("m-stale", T0)], new ExpectedVersion("IT-1", 1)));

        Assert.Equal("IT-1", error.Ticket);
        Assert.Equal("A1", (await Tickets.GetAsync("IT-1"))!.Assignee);
        Assert.Equal(2, (await Log.ReadTicketAsync("IT-1")).Count);
        Assert.Empty(await PendingOutboxAsync());
    }

    [Fact]
    public async Task An_append_expecting_a_ticket_that_does_not_exist_yet_expects_no_events()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List, expected: new ExpectedVersion("IT-1", 0));

        await Assert.ThrowsAsync<ConcurrencyException>(() => Log.AppendAsync(Events.Of("IT-1").Created(T0).List, expected: new ExpectedVersion("IT-1", 0)));
        Assert.Equal(1, await Log.CountAsync());
    }

    [Fact]
    public async Task A_failing_append_among_concurrent_ones_does_not_take_them_with_it()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List);
        var good = Enumerable.Range(2, 20).Select(i => Log.AppendAsync(Events.Of($"IT-{i}").Created(T0).List)).ToList();
        var bad = Log.AppendAsync(Events.Of("IT-1").Assigned(T0, "A9").List, expected: new ExpectedVersion("IT-1", 5));

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<ConcurrencyException>(() => bad);
        Assert.Equal(21, await Log.CountAsync());
    }

    [Fact]
    public async Task An_appends_outbox_messages_are_stored_with_its_events_and_an_append_whose_message_cannot_be_stored_leaves_nothing()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List, [Message("m-1", T0), Message("m-2", T0)]);

        // A message that cannot be stored (it names no conversation): the events, projection and thread link of that append
        // go with it, and so does the append's other message. (A known message id no longer fails: it is left out.)
        var second = Events.Of("IT-2").Add(EventType.Created, T0, "U1", ActorKind.Requester, (EventData.Team, "IT"),
            (EventData.Channel, "slack"), (EventData.Conversation, "D2"), (EventData.Thread, "1700.2")).List;
        await Assert.ThrowsAnyAsync<Exception>(() => Log.AppendAsync(second, [Message("m-3", T0), Message("m-4", T0) with { Conversation = null! }]));

        Assert.Equal(["m-1", "m-2"], await PendingOutboxAsync());
        Assert.Equal(1, await Log.CountAsync());
        Assert.Null(await Tickets.GetAsync("IT-2"));
        Assert.Null(await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "D2", "1700.2")));
    }

    [Fact]
    public async Task Every_append_is_noted_in_the_callers_watch()
    {
        using var watch = AppendWatch.Begin();

        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List);
        await Log.AppendCheckedAsync(Events.Of("IT-2").Created(T0).List);

        Assert.Equal(["IT-1", "IT-2"], watch.Tickets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_delivery_a_ticket_was_opened_by_is_linked_by_storing_its_creation_and_kept_by_a_rebuild()
    {
        // A slash command has no message of its own: its ticket is linked to the delivery, beside the thread links.
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            (EventData.Team, "IT"), (EventData.Category, "vpn"), (EventData.Priority, "P3"), (EventData.Requester, "U1"),
            (EventData.Channel, "slack"), (EventData.Conversation, "C1"), (EventData.Delivery, "slack:cmd-1")).List;
        await Log.AppendAsync(created);

        Assert.Equal("IT-1", await Tickets.FindTicketByDeliveryAsync("slack:cmd-1"));
        await Tickets.RebuildAsync();
        Assert.Equal("IT-1", await Tickets.FindTicketByDeliveryAsync("slack:cmd-1"));
        Assert.Null(await Tickets.FindTicketByDeliveryAsync("slack:cmd-2"));
        Assert.Null(await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "C1")));
    }

    [Fact]
    public async Task A_thread_is_linked_to_its_ticket_and_a_later_link_replaces_it()
    {
        var thread = new ConversationRef("slack", "C1", "1700.1");

        await Tickets.LinkThreadAsync(thread, "IT-3");
        Assert.Equal("IT-3", await Tickets.FindTicketByThreadAsync(thread));
        await Tickets.LinkThreadAsync(thread, "IT-4");

        Assert.Equal("IT-4", await Tickets.FindTicketByThreadAsync(thread));
        Assert.Null(await Tickets.FindTicketByThreadAsync(thread with { ThreadId = "1700.2" }));
    }

    [Fact]
    public async Task Data_survives_a_restart()
    {
        await Log.AppendAsync(Events.Of("IT-1").Created(T0).List);
        await Tickets.LinkThreadAsync(new ConversationRef("slack", "C1", "1700.1"), "IT-1");

        await RestartAsync();

        Assert.Equal(1, await Log.CountAsync());
        Assert.Equal(TicketStatus.New, (await Tickets.GetAsync("IT-1"))!.Status);
        Assert.Equal("IT-1", await Tickets.FindTicketByThreadAsync(new ConversationRef("slack", "C1", "1700.1")));
    }

    protected static OutboundMessage Message(string id, DateTimeOffset at) => new()
    {
        Id = id,
        Conversation = new ConversationRef("slack", "D1", "1.0"),
        Card = new Card { Title = id },
        CreatedAt = at,
    };

    protected static List<string> Snapshot(IEnumerable<Ticket> tickets) =>
        [.. tickets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key}|{t.Team}|{t.Category}|{t.Priority}|{t.Requester}|{t.Channel}|{t.Conversation}|{t.Thread}|{t.Subject}|{t.Assignee}|{t.Tier}|" +
            $"{t.Status}|{t.CreatedAt:O}|{t.UpdatedAt:O}|{t.FirstResponseAt:O}|{t.ResolvedAt:O}|{t.ReopenCount}|{t.EscalationCount}|{t.EventCount}|{t.LastSeq}")];
}
