using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Delivery;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ItChatBot.Host.Tests;

/// <summary>The lane the after-ack loops run on: one thread of lower priority, to which every await comes back.</summary>
public sealed class BackgroundLaneTests
{
    [Fact]
    public async Task A_loop_and_every_continuation_of_its_awaits_run_on_the_lanes_own_thread_at_lower_priority()
    {
        var seen = new List<(string? Thread, int Nice)>();
        await BackgroundLane.RunAsync("test-lane", lower: true, async () =>
        {
            seen.Add(Here());
            await Task.Delay(10);
            seen.Add(Here());
            await Task.Yield();
            seen.Add(Here());
            await Task.WhenAll(Task.Delay(5), Task.Run(() => Thread.Sleep(5)));
            seen.Add(Here());
        });

        Assert.Equal(4, seen.Count);
        Assert.All(seen, s => Assert.Equal("test-lane", s.Thread));
        if (OperatingSystem.IsLinux())
        {
            Assert.All(seen, s => Assert.Equal(10, s.Nice));
        }
    }

    [Fact]
    public async Task A_lane_asked_not_to_lower_its_priority_runs_at_normal_priority()
    {
        var caller = Here();
        var seen = new List<(string? Thread, int Nice)>();
        await BackgroundLane.RunAsync("normal-lane", lower: false, async () =>
        {
            await Task.Yield();
            seen.Add(Here());
        });

        Assert.Equal("normal-lane", Assert.Single(seen).Thread);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(caller.Nice, seen[0].Nice);
        }
    }

    [Fact]
    public async Task A_failing_loop_fails_the_task_that_ran_it()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundLane.RunAsync("failing-lane", lower: true, async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the loop broke");
        }));

        Assert.Equal("the loop broke", failure.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_web_hosts_store_writer_runs_at_the_lanes_priority_unless_the_setting_turns_it_off(bool lower)
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?> { ["Host:LowerBackgroundPriority"] = lower ? "true" : "false" });
        var caller = Here();

        // A write runs on the store's one writer thread: where it runs is where every commit runs.
        var writer = await app.Get<LiteDbStore>().WriteAsync(_ => Here());

        Assert.Equal("litedb-writer", writer.Thread);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(lower ? 10 : caller.Nice, writer.Nice);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_minutely_passes_that_read_every_open_ticket_run_on_lanes_at_the_lanes_priority_unless_the_setting_turns_it_off(bool lower)
    {
        using var app = new OpenTicketReadsApp(lower);
        var caller = Here();

        // Starting the host starts the SLA monitor and the approvals worker; each reads the open tickets at once.
        _ = app.Services;
        await app.MonitorRead.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var reads = app.Reads.ToArray();
        Assert.Contains(reads, r => r.Thread == "queue-monitor");
        Assert.All(reads, r => Assert.Contains(r.Thread, new[] { "queue-monitor", "approvals-worker" }));
        if (OperatingSystem.IsLinux())
        {
            Assert.All(reads, r => Assert.Equal(lower ? 10 : caller.Nice, r.Nice));
        }
    }

    [Fact]
    public async Task Requests_run_with_a_short_time_slice_while_the_store_writer_and_the_lanes_keep_the_default_at_nice_10()
    {
        using var app = new RequestThreadApp();
        using var client = app.CreateClient();

        // The path no endpoint claims reaches the test's own last middleware, on the request's thread.
        var request = (await client.GetStringAsync("/test/request-thread")).Split(' ');
        var writer = await app.Get<LiteDbStore>().WriteAsync(_ => (OsThreadInfo.Slice(), Here().Nice));
        var lane = ((ulong?)null, 0);
        await BackgroundLane.RunAsync("slice-lane", lower: true, async () =>
        {
            await Task.Yield();
            lane = (OsThreadInfo.Slice(), Here().Nice);
        });

        if (OsThreadInfo.CustomSlices)
        {
            Assert.Equal(OsThread.ShortSliceNanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), request[0]);
            Assert.NotNull(writer.Item1);
            Assert.NotEqual(OsThread.ShortSliceNanoseconds, writer.Item1);
            Assert.NotEqual(OsThread.ShortSliceNanoseconds, lane.Item1);
        }

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("0", request[1]);
            Assert.Equal(10, writer.Nice);
            Assert.Equal(10, lane.Item2);
        }
    }

    private static (string? Thread, int Nice) Here() => OsThreadInfo.Current();

    /// <summary>The real host with the after-ack threads lowered, and a last middleware that reports its thread's slice and nice value.</summary>
    private sealed class RequestThreadApp() : ItChatBotApp(new Dictionary<string, string?> { ["Host:LowerBackgroundPriority"] = "true" })
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ReportThreadLast>();

        private sealed class ReportThreadLast : Microsoft.AspNetCore.Hosting.IStartupFilter
        {
            public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
            {
                next(app);
                Microsoft.AspNetCore.Builder.RunExtensions.Run(app, context =>
                    Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, $"{OsThreadInfo.Slice()} {Here().Nice}"));
            };
        }
    }

    /// <summary>The real host, whose ticket store (the real one) also notes the thread of every open-tickets query.</summary>
    private sealed class OpenTicketReadsApp(bool lower)
        : ItChatBotApp(new Dictionary<string, string?> { ["Host:LowerBackgroundPriority"] = lower ? "true" : "false" })
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string? Thread, int Nice)> Reads { get; } = new();

        public TaskCompletionSource MonitorRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.RemoveAll<ITicketStore>();
            services.AddSingleton<ITicketStore>(sp => new ThreadNotingTickets(sp.GetRequiredService<LiteDbStore>(), read =>
            {
                Reads.Enqueue(read);
                if (read.Thread == "queue-monitor")
                {
                    MonitorRead.TrySetResult();
                }
            }));
        }
    }

    private sealed class ThreadNotingTickets(ITicketStore inner, Action<(string? Thread, int Nice)> openRead) : ITicketStore
    {
        public Task<IReadOnlyList<Ticket>> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default)
        {
            if (query.OpenOnly)
            {
                openRead(Here());
            }

            return inner.QueryAsync(query, cancellationToken);
        }

        public Task<IReadOnlyList<TicketVersion>> OpenVersionsAsync(CancellationToken cancellationToken = default)
        {
            openRead(Here());
            return inner.OpenVersionsAsync(cancellationToken);
        }

        public Task<Ticket?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task<int> NextNumberAsync(string prefix, CancellationToken cancellationToken = default) => inner.NextNumberAsync(prefix, cancellationToken);

        public Task LinkThreadAsync(ConversationRef thread, string ticketKey, CancellationToken cancellationToken = default) =>
            inner.LinkThreadAsync(thread, ticketKey, cancellationToken);

        public Task<string?> FindTicketByThreadAsync(ConversationRef thread, CancellationToken cancellationToken = default) =>
            inner.FindTicketByThreadAsync(thread, cancellationToken);

        public Task<string?> FindTicketByDeliveryAsync(string platformId, CancellationToken cancellationToken = default) =>
            inner.FindTicketByDeliveryAsync(platformId, cancellationToken);

        public Task RebuildAsync(CancellationToken cancellationToken = default) => inner.RebuildAsync(cancellationToken);
    }
}
