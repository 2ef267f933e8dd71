using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Storage.Postgres.Tests;

/// <summary>
/// Several service instances on one database: each instance here has a data source of its own (its own pool), as two
/// processes would, and they act at the same moment.
/// </summary>
public sealed class PostgresStoreInstancesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private PostgresTestDatabase _test = null!;
    private PostgresDatabase _firstDb = null!;
    private PostgresDatabase _secondDb = null!;
    private PostgresStore _first = null!;
    private PostgresStore _second = null!;

    public async Task InitializeAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        _firstDb = new PostgresDatabase(_test.ConnectionString);
        _secondDb = new PostgresDatabase(_test.ConnectionString);
        await Task.WhenAll(_firstDb.MigrateAsync(), _secondDb.MigrateAsync());
        _first = new PostgresStore(_firstDb);
        _second = new PostgresStore(_secondDb);
    }

    public async Task DisposeAsync()
    {
        await _firstDb.DisposeAsync();
        await _secondDb.DisposeAsync();
        await _test.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_appending_to_one_ticket_with_the_same_expected_version_at_once_store_one_and_refuse_the_other()
    {
        await _first.AppendAsync(Events.Of("IT-1").Created(T0).List);
        const int rounds = 25;

        for (var round = 0; round < rounds; round++)
        {
            var expected = new ExpectedVersion("IT-1", 1 + round);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task<bool> Append(PostgresStore store, string agent)
            {
                await go.Task;
                try
                {
                    await store.AppendAsync(Events.Of("IT-1").Assigned(T0.AddMinutes(round), agent).List, expected: expected);
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            }

            var both = Task.WhenAll(Task.Run(() => Append(_first, $"A{round}")), Task.Run(() => Append(_second, $"B{round}")));
            go.SetResult();
            var outcomes = await both;

            Assert.Equal(1, outcomes.Count(stored => stored));
        }

        var events = await _second.ReadTicketAsync("IT-1");
        Assert.Equal(1 + rounds, events.Count);
        Assert.Equal(1 + rounds, (await _first.GetAsync("IT-1"))!.EventCount);
        Assert.Equal(events[^1].Get(EventData.Assignee), (await _second.GetAsync("IT-1"))!.Assignee);
    }

    [Fact]
    public async Task Two_instances_handing_out_numbers_at_once_never_hand_out_the_same_one()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 100).SelectMany(_ => new[]
        {
            Task.Run(() => _first.NextNumberAsync("IT")),
            Task.Run(() => _second.NextNumberAsync("IT")),
        }));

        Assert.Equal(Enumerable.Range(1, 200), numbers.Order());
    }

    [Fact]
    public async Task A_creation_stored_by_one_instance_moves_the_number_the_other_hands_out_next()
    {
        Assert.Equal(1, await _first.NextNumberAsync("IT"));
        Assert.Equal(2, await _second.NextNumberAsync("IT"));

        await _second.AppendAsync(Events.Of("IT-40").Created(T0).List);

        Assert.Equal(41, await _first.NextNumberAsync("IT"));
    }

    [Fact]
    public async Task A_reader_following_the_log_while_two_instances_append_sees_every_event_once_in_position_order()
    {
        var writing = new[] { _first, _second }.Select((store, w) => Task.Run(async () =>
        {
            for (var i = 1; i <= 150; i++)
            {
                var events = Events.Of($"W{w}-{i}").Created(T0.AddSeconds(i));
                if (i % 10 == 0)
                {
                    // Now and then a batch, as an import or a workflow step writes several events at once.
                    events.Assigned(T0.AddSeconds(i + 1), "A1").Resolved(T0.AddSeconds(i + 2));
                }

                await store.AppendAsync(events.List);
            }
        })).ToArray();

        // A third instance following the log from where it got to, as the KPI index and the SLA monitor do.
        await using var readerDb = new PostgresDatabase(_test.ConnectionString);
        var follower = new PostgresStore(readerDb);
        var read = new List<TicketEvent>();
        var passes = 0;
        while (true)
        {
            var writersDone = writing.All(w => w.IsCompleted);
            var after = read.Count == 0 ? 0 : read[^1].Seq;
            await foreach (var e in follower.ReadAllAsync(after))
            {
                read.Add(e);
            }

            passes++;
            if (writersDone)
            {
                break;
            }
        }

        await Task.WhenAll(writing);
        var all = new List<TicketEvent>();
        await foreach (var e in _first.ReadAllAsync())
        {
            all.Add(e);
        }

        Assert.Equal(2 * (150 + 15 * 2), all.Count);
        Assert.True(passes > 2, $"the reader should have read while the instances wrote; passes: {passes}");
        Assert.Equal(all.Select(e => (e.Seq, e.Id)), read.Select(e => (e.Seq, e.Id)));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), read.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_rebuild_on_one_instance_while_the_other_appends_loses_none_of_the_appends()
    {
        var seed = new List<TicketEvent>();
        for (var i = 1; i <= 300; i++)
        {
            seed.AddRange(Events.Of($"IT-{i}").Created(T0.AddMinutes(i)).Assigned(T0.AddMinutes(i + 1), "A1").List);
        }

        await _first.AppendCheckedAsync(seed);

        var appending = Task.Run(async () =>
        {
            for (var i = 301; i <= 360; i++)
            {
                await _second.AppendAsync(Events.Of($"IT-{i}").Created(T0.AddMinutes(i)).List);
            }
        });
        var rebuilds = Task.Run(async () =>
        {
            for (var r = 0; r < 5; r++)
            {
                await _first.RebuildAsync();
            }
        });
        await Task.WhenAll(appending, rebuilds);

        var live = await _second.QueryAsync(new TicketQuery { Limit = 1000 });
        await _second.RebuildAsync();
        var rebuilt = await _first.QueryAsync(new TicketQuery { Limit = 1000 });

        Assert.Equal(360, live.Count);
        Assert.Equal(EventStoreContractSnapshot(rebuilt), EventStoreContractSnapshot(live));
    }

    private static List<string> EventStoreContractSnapshot(IEnumerable<Ticket> tickets) =>
        [.. tickets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}|{t.Status}|{t.Assignee}|{t.CreatedAt:O}|{t.EventCount}|{t.LastSeq}")];
}
