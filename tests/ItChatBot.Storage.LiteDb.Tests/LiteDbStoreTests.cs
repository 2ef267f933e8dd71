using ItChatBot.Core.Conversations;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>The embedded store on a real LiteDB file in a temp folder.</summary>
public sealed class LiteDbStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly LiteDbStore _store;

    public LiteDbStoreTests() => _store = new LiteDbStore(_folder.File("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Appended_events_read_back_in_order_with_their_data_and_times()
    {
        var events = Events.Of("IT-1").Created(T0.AddTicks(12345), "P2", category: "vpn").Assigned(T0.AddMinutes(3), "A1").Survey(T0.AddHours(2), 4).List;

        var result = await _store.AppendAsync(events);
        var read = await _store.ReadTicketAsync("IT-1");

        Assert.Equal(3, result.Appended.Count);
        Assert.Equal(events.Select(e => (e.Id, e.Type, e.At, e.Actor, e.ActorKind)), read.Select(e => (e.Id, e.Type, e.At, e.Actor, e.ActorKind)));
        Assert.Equal("vpn", read[0].Get(EventData.Category));
        Assert.Equal(4, read[2].GetInt(EventData.Score));
        Assert.Equal(TimeSpan.Zero, read[0].At.Offset);
        Assert.True(read[0].Seq < read[1].Seq && read[1].Seq < read[2].Seq);
    }

    [Fact]
    public async Task An_event_id_is_appended_once_however_often_it_is_sent()
    {
        var events = Events.Of("IT-1").Created(T0).List;

        await _store.AppendAsync(events);
        var again = await _store.AppendAsync(events);

        Assert.Empty(again.Appended);
        Assert.Equal(1, again.Skipped);
        Assert.Equal(1, await _store.CountAsync());
        Assert.Equal(1, (await _store.GetAsync("IT-1"))!.EventCount);
    }

    [Fact]
    public async Task The_same_event_twice_in_one_append_is_stored_once()
    {
        var created = Events.Of("IT-1").Created(T0).List[0];

        var result = await _store.AppendAsync([created, created]);

        Assert.Equal((1, 1), (result.Appended.Count, result.Skipped));
        Assert.Equal(1, (await _store.GetAsync("IT-1"))!.EventCount);
    }

    [Fact]
    public async Task A_second_delivery_of_the_same_inbound_id_is_recognised()
    {
        var envelope = new InboundEnvelope("slack:Ev01", "slack", "event_callback", "{\"a\":1}", T0);

        Assert.True(await _store.TryAcceptAsync(envelope));
        Assert.False(await _store.TryAcceptAsync(envelope with { Body = "{\"a\":2}" }));

        var pending = Assert.Single(await _store.PendingAsync(10));
        Assert.Equal("{\"a\":1}", pending.Body);
        await _store.MarkProcessedAsync("slack:Ev01");
        Assert.Empty(await _store.PendingAsync(10));
    }

    [Fact]
    public async Task A_stored_envelope_is_found_by_its_platform_id_with_whether_it_was_processed()
    {
        var marker = new InboundEnvelope("slack:msg:C1:1.000001", "slack", "message-seen", "slack:Ev01", T0) { ProcessedAt = T0 };
        await _store.TryAcceptAsync(marker);
        await _store.TryAcceptAsync(new InboundEnvelope("slack:Ev02", "slack", "event_callback", "{}", T0));

        Assert.Equal(marker, await _store.FindAsync("slack:msg:C1:1.000001"));
        Assert.Null((await _store.FindAsync("slack:Ev02"))!.ProcessedAt);
        Assert.Null(await _store.FindAsync("slack:Ev03"));
    }

    [Fact]
    public async Task The_projection_follows_the_events()
    {
        await _store.AppendAsync(Events.Of("IT-7").Created(T0, "P1").Assigned(T0.AddMinutes(1), "A1")
            .Responded(T0.AddMinutes(2), "A1", ActorKind.Agent).Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);

        var ticket = await _store.GetAsync("IT-7");

        Assert.NotNull(ticket);
        Assert.Equal(("P1", "A1", TicketStatus.Resolved, false), (ticket.Priority, ticket.Assignee, ticket.Status, ticket.IsOpen));
        Assert.Equal(T0.AddMinutes(2), ticket.FirstResponseAt);
        Assert.Equal(T0.AddHours(1), ticket.ResolvedAt);
    }

    [Fact]
    public async Task Open_versions_list_the_open_tickets_oldest_first_with_their_last_event_and_a_status_query_finds_that_status_alone()
    {
        await _store.AppendAsync(Events.Of("IT-10").Created(T0.AddMinutes(5)).List);
        await _store.AppendAsync(Events.Of("IT-2").Created(T0).Status(T0.AddMinutes(1), TicketStatus.PendingApproval).List);
        await _store.AppendAsync(Events.Of("IT-3").Created(T0.AddMinutes(2)).Resolved(T0.AddMinutes(3)).List);

        var versions = await _store.OpenVersionsAsync();
        var pending = await _store.QueryAsync(new TicketQuery { OpenOnly = true, Status = TicketStatus.PendingApproval, Limit = int.MaxValue });

        // Oldest first, not in key order ("IT-10" sorts before "IT-2"); IT-2's last event is the third one stored.
        Assert.Equal([("IT-2", T0, 3L), ("IT-10", T0.AddMinutes(5), 1L)], versions.Select(v => (v.Key, v.CreatedAt, v.LastSeq)));
        Assert.Equal((await _store.GetAsync("IT-2"))!.LastSeq, versions[0].LastSeq);
        Assert.Equal(["IT-2"], pending.Select(t => t.Key));
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

            await _store.AppendAsync(e.List);
        }

        var live = await _store.QueryAsync(new TicketQuery { Limit = 1000 });
        await _store.RebuildAsync();
        var rebuilt = await _store.QueryAsync(new TicketQuery { Limit = 1000 });

        Assert.Equal(60, live.Count);
        Assert.Equal(Snapshot(live), Snapshot(rebuilt));
        Assert.Equal(61, await _store.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task Data_keys_that_differ_only_in_case_are_kept_apart_and_a_rebuild_gives_the_same_ticket()
    {
        // What an imported JSONL line carrying both "category" and an exporter's own "Category" becomes.
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            ("Category", "Hardware > Laptop"), (EventData.Category, "hardware"), (EventData.Team, "IT"), (EventData.Priority, "P2"),
            (EventData.Requester, "U1"), (EventData.Subject, "help")).List;
        await _store.AppendAsync(created);
        var live = await _store.GetAsync("IT-1");

        var read = Assert.Single(await _store.ReadTicketAsync("IT-1"));
        await _store.RebuildAsync();
        var rebuilt = await _store.GetAsync("IT-1");

        Assert.Equal(("hardware", "Hardware > Laptop"), (read.Get(EventData.Category), read.Get("Category")));
        Assert.Equal(created[0].Data.OrderBy(d => d.Key, StringComparer.Ordinal), read.Data.OrderBy(d => d.Key, StringComparer.Ordinal));
        Assert.Equal("hardware", live!.Category);
        Assert.Equal(Snapshot([live]), Snapshot([rebuilt!]));
        Assert.Equal("hardware", rebuilt!.Category);
    }

    [Fact]
    public async Task Events_written_with_their_data_as_a_sub_document_still_read_and_rebuild()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0, "P2", category: "vpn").Assigned(T0.AddMinutes(1), "A1").Survey(T0.AddHours(1), 5).List);
        var before = await _store.ReadTicketAsync("IT-1");
        var live = await _store.GetAsync("IT-1");

        // How events were stored before the data became pairs.
        await _store.WriteAsync(db =>
        {
            var col = db.GetCollection(LiteDbStore.Events);
            foreach (var doc in col.FindAll().ToList())
            {
                var data = new LiteDB.BsonDocument();
                foreach (var pair in doc["d"].AsArray)
                {
                    data[pair[0].AsString] = pair[1];
                }

                doc["d"] = data;
                col.Update(doc);
            }

            return true;
        });
        var after = await _store.ReadTicketAsync("IT-1");
        await _store.RebuildAsync();

        Assert.Equal(before.Select(e => (e.Id, e.Seq, e.Type)), after.Select(e => (e.Id, e.Seq, e.Type)));
        Assert.Equal(before.Select(e => string.Join(",", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal))),
            after.Select(e => string.Join(",", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal))));
        Assert.Equal(("vpn", "A1", 5), (after[0].Get(EventData.Category), after[1].Get(EventData.Assignee), after[2].GetInt(EventData.Score)));
        Assert.Equal(Snapshot([live!]), Snapshot([(await _store.GetAsync("IT-1"))!]));
    }

    [Fact]
    public async Task Rebuilding_keeps_tickets_whose_log_has_no_creation_under_their_key()
    {
        // An unchecked append (AppendAsync checks nothing) of history whose Created was never stored.
        await _store.AppendAsync(Events.Of("IT-5").Assigned(T0, "A1").Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);
        await _store.AppendAsync(Events.Of("IT-6").Assigned(T0, "A2").List);
        var live = await _store.QueryAsync(new TicketQuery { Limit = 1000 });

        await _store.RebuildAsync();
        var rebuilt = await _store.QueryAsync(new TicketQuery { Limit = 1000 });

        Assert.Equal(["IT-5", "IT-6"], live.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Snapshot(live), Snapshot(rebuilt));
        Assert.Equal("A2", (await _store.GetAsync("IT-6"))!.Assignee);
    }

    [Fact]
    public async Task Eight_threads_appending_at_once_lose_nothing()
    {
        const int perThread = 250;
        var threads = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perThread; i++)
            {
                await _store.AppendAsync(Events.Of($"T{t}-{i + 1}").Created(T0.AddSeconds(i)).List);
            }
        }));

        await Task.WhenAll(threads);

        Assert.Equal(8 * perThread, await _store.CountAsync());
        var seqs = new List<long>();
        await foreach (var e in _store.ReadAllAsync())
        {
            seqs.Add(e.Seq);
        }

        Assert.Equal(8 * perThread, seqs.Distinct().Count());
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(8 * perThread, (await _store.QueryAsync(new TicketQuery { Limit = 10_000 })).Count);
    }

    [Fact]
    public async Task Concurrent_key_numbers_are_never_handed_out_twice()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _store.NextNumberAsync("HR")));

        Assert.Equal(Enumerable.Range(1, 200), numbers.Order());
    }

    [Fact]
    public async Task A_checked_append_leaves_out_what_breaks_a_tickets_rules_judged_on_the_log_and_the_batch_so_far()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List);
        var known = (await _store.ReadTicketAsync("IT-1"))[0];

        var batch = new List<TicketEvent>();
        batch.Add(known);                                                                  // 0: already in the log
        batch.AddRange(Events.Of("IT-1").Resolved(T0.AddHours(2), "A1", ActorKind.Agent).List); // 1: resolved twice
        batch.AddRange(Events.Of("IT-2").Created(T0).List);                                  // 2
        batch.AddRange(Events.Of("IT-2").Resolved(T0.AddHours(1), "A1", ActorKind.Agent).List); // 3: legal after 2
        batch.AddRange(Events.Of("IT-3").Assigned(T0, "A1").List);                           // 4: no such ticket
        var result = await _store.AppendCheckedAsync(batch);

        Assert.Equal([batch[2].Id, batch[3].Id], result.Appended.Select(e => e.Id));
        Assert.Equal(1, result.Skipped);
        Assert.Equal([1, 4], result.Rejected.Select(r => r.Index));
        Assert.Contains("IT-1", result.Rejected[0].Reason);
        Assert.Equal(TicketStatus.Resolved, (await _store.GetAsync("IT-2"))!.Status);
        Assert.Null(await _store.GetAsync("IT-3"));
        Assert.Equal(4, await _store.CountAsync());
        Assert.Equal(result.Appended[^1].Seq, (await _store.GetAsync("IT-2"))!.LastSeq);
    }

    [Fact]
    public async Task The_thread_a_ticket_was_requested_in_is_linked_by_storing_its_creation_and_kept_by_a_rebuild()
    {
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            (EventData.Team, "IT"), (EventData.Category, "vpn"), (EventData.Priority, "P3"), (EventData.Requester, "U1"),
            (EventData.Channel, "slack"), (EventData.Conversation, "D1"), (EventData.Thread, "1700000000.000100")).List;
        await _store.AppendAsync(created);
        await _store.LinkThreadAsync(new ConversationRef("slack", "C-queue", "1700000001.000200"), "IT-1");

        Assert.Equal("IT-1", await _store.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.000100")));
        await _store.RebuildAsync();
        Assert.Equal("IT-1", await _store.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.000100")));
        Assert.Equal("IT-1", await _store.FindTicketByThreadAsync(new ConversationRef("slack", "C-queue", "1700000001.000200")));
        Assert.Null(await _store.FindTicketByThreadAsync(new ConversationRef("slack", "D1", "1700000000.999999")));
    }

    [Fact]
    public async Task Key_numbers_handed_out_and_stored_are_not_handed_out_again_after_a_restart()
    {
        var first = new[] { await _store.NextNumberAsync("IT"), await _store.NextNumberAsync("IT"), await _store.NextNumberAsync("IT") };
        foreach (var n in first)
        {
            await _store.AppendAsync(Events.Of($"IT-{n}").Created(T0).List);
        }

        _store.Dispose();
        using var reopened = new LiteDbStore(_folder.File("store.db"));

        Assert.Equal([1, 2, 3], first);
        Assert.Equal(4, await reopened.NextNumberAsync("IT"));
        Assert.Equal(1, await reopened.NextNumberAsync("SEC"));
    }

    [Fact]
    public async Task An_imported_ticket_above_the_numbers_handed_out_moves_the_next_number_past_it()
    {
        Assert.Equal(1, await _store.NextNumberAsync("IT"));

        await _store.AppendAsync(Events.Of("IT-40").Created(T0).List);

        Assert.Equal(41, await _store.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task A_write_that_fails_after_changing_something_is_rolled_back_alone()
    {
        var gate = new TaskCompletionSource();
        var blocker = _store.WriteAsync(_ => gate.Task.Wait(TimeSpan.FromSeconds(10)));
        var good = Enumerable.Range(1, 10).Select(i => _store.AppendAsync(Events.Of($"IT-{i}").Created(T0).List)).ToList();
        var bad = _store.WriteAsync<bool>(db =>
        {
            db.GetCollection("scratch").Insert(new LiteDB.BsonDocument { ["_id"] = "half-done" });
            throw new InvalidOperationException("broke halfway");
        });
        gate.SetResult();

        await blocker;
        await Task.WhenAll(good);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("broke halfway", error.Message);
        Assert.Equal(10, await _store.CountAsync());
        Assert.Null(_store.Database.GetCollection("scratch").FindById("half-done"));
    }

    [Fact]
    public async Task An_append_that_expects_an_older_version_fails_and_changes_nothing()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);
        await _store.AppendAsync(Events.Of("IT-1").Assigned(T0.AddMinutes(1), "A1").List, expected: new ExpectedVersion("IT-1", 1));

        var stale = Events.Of("IT-1").Assigned(T0.AddMinutes(2), "A2").List;
        await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync(stale, expected: new ExpectedVersion("IT-1", 1)));

        Assert.Equal("A1", (await _store.GetAsync("IT-1"))!.Assignee);
        Assert.Equal(2, (await _store.ReadTicketAsync("IT-1")).Count);
    }

    [Fact]
    public async Task A_failing_write_in_a_shared_commit_does_not_take_its_neighbours_with_it()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);
        var good = Enumerable.Range(2, 20).Select(i => _store.AppendAsync(Events.Of($"IT-{i}").Created(T0).List)).ToList();
        var bad = _store.AppendAsync(Events.Of("IT-1").Assigned(T0, "A9").List, expected: new ExpectedVersion("IT-1", 5));

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<ConcurrencyException>(() => bad);
        Assert.Equal(21, await _store.CountAsync());
    }

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
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List, [message]);

        var due = Assert.Single(await _store.DueAsync(T0, 10));
        // Collections compare by reference inside a record: compare them apart, the rest as a whole.
        Assert.Equal(message.Card, due.Message.Card with { Fields = message.Card.Fields, Buttons = message.Card.Buttons, Mentions = message.Card.Mentions });
        Assert.Equal(message.Card.Buttons, due.Message.Card.Buttons);
        Assert.Equal(message.Card.Mentions, due.Message.Card.Mentions);

        await _store.MarkFailedAsync("m1", "429", T0.AddSeconds(30));
        Assert.Empty(await _store.DueAsync(T0.AddSeconds(29), 10));
        Assert.Single(await _store.DueAsync(T0.AddSeconds(30), 10));

        await _store.MarkSentAsync("m1", "1700000000.000100", T0.AddSeconds(31));
        Assert.Empty(await _store.DueAsync(T0.AddHours(1), 10));
        var sent = await _store.GetMessageAsync("m1");
        Assert.Equal((OutboxState.Sent, "1700000000.000100", 2), (sent!.State, sent.PlatformMessageId, sent.Attempts));
    }

    [Fact]
    public async Task An_update_of_a_card_that_waits_for_its_retry_waits_too_while_other_messages_go_on()
    {
        OutboundMessage To(string id, string conversation, string? updateOf = null) =>
            new() { Id = id, Conversation = new ConversationRef("slack", conversation), Card = new Card { Title = id }, UpdateOf = updateOf, CreatedAt = T0 };
        await _store.EnqueueAsync([To("card", "C1"), To("other", "C2"), To("update", "C1", updateOf: "card"), To("next", "C1")]);
        await _store.MarkFailedAsync("card", "ratelimited", T0.AddSeconds(30));

        Assert.Equal(["other", "next"], (await _store.DueAsync(T0.AddSeconds(1), 10)).Select(e => e.Message.Id));
        Assert.Equal(["card", "other", "update", "next"], (await _store.DueAsync(T0.AddSeconds(30), 10)).Select(e => e.Message.Id));
    }

    [Fact]
    public async Task The_delivery_a_ticket_was_opened_by_is_linked_by_storing_its_creation_and_kept_by_a_rebuild()
    {
        // A slash command has no message of its own: its ticket is linked to the delivery, beside the thread links.
        var created = Events.Of("IT-1").Add(EventType.Created, T0, "U1", ActorKind.Requester,
            (EventData.Team, "IT"), (EventData.Category, "vpn"), (EventData.Priority, "P3"), (EventData.Requester, "U1"),
            (EventData.Channel, "slack"), (EventData.Conversation, "C1"), (EventData.Delivery, "slack:cmd-1")).List;
        await _store.AppendAsync(created);

        Assert.Equal("IT-1", await _store.FindTicketByDeliveryAsync("slack:cmd-1"));
        await _store.RebuildAsync();
        Assert.Equal("IT-1", await _store.FindTicketByDeliveryAsync("slack:cmd-1"));
        Assert.Null(await _store.FindTicketByDeliveryAsync("slack:cmd-2"));
        Assert.Null(await _store.FindTicketByThreadAsync(new ConversationRef("slack", "C1")));
    }

    [Fact]
    public async Task A_thread_is_linked_to_its_ticket()
    {
        var thread = new ConversationRef("slack", "C1", "1700.1");

        await _store.LinkThreadAsync(thread, "IT-3");

        Assert.Equal("IT-3", await _store.FindTicketByThreadAsync(thread));
        Assert.Null(await _store.FindTicketByThreadAsync(thread with { ThreadId = "1700.2" }));
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused_while_the_first_has_it_open()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);

        // What `itchatbot import` run beside the service did: open the file the service is writing, and write it too.
        var refused = Assert.Throws<DataFileInUseException>(() => new LiteDbStore(_folder.File("store.db")));
        using var other = new LiteDbStore(_folder.File("other.db"));
        _store.Dispose();
        using var reopened = new LiteDbStore(_folder.File("store.db"));

        Assert.Equal(Path.GetFullPath(_folder.File("store.db")), refused.DataFile);
        Assert.Contains("is in use by another ItChatBot process", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await reopened.CountAsync());
        await reopened.AppendAsync(Events.Of("IT-2").Created(T0).List);
        Assert.Equal(2, await reopened.CountAsync());
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        await _store.AppendAsync(Events.Of("IT-1").Created(T0).List);
        _store.Dispose();

        using var reopened = new LiteDbStore(_folder.File("store.db"));

        Assert.Equal(1, await reopened.CountAsync());
        Assert.Equal(TicketStatus.New, (await reopened.GetAsync("IT-1"))!.Status);
    }

    [Fact]
    public async Task Asked_to_the_store_runs_its_writer_thread_at_lower_priority_and_otherwise_at_the_callers()
    {
        using var lowered = new LiteDbStore(_folder.File("lowered.db"), lowerWriterPriority: true);
        var caller = OsThreadInfo.Current();

        var low = await lowered.WriteAsync(_ => OsThreadInfo.Current());
        var normal = await _store.WriteAsync(_ => OsThreadInfo.Current());

        Assert.Equal("litedb-writer", low.Thread);
        Assert.Equal("litedb-writer", normal.Thread);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(10, low.Nice);
            Assert.Equal(caller.Nice, normal.Nice);
        }
    }

    private static List<string> Snapshot(IEnumerable<Ticket> tickets) =>
        [.. tickets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key}|{t.Team}|{t.Priority}|{t.Status}|{t.Assignee}|{t.CreatedAt:O}|{t.ResolvedAt:O}|{t.ReopenCount}|{t.EventCount}|{t.LastSeq}")];
}
