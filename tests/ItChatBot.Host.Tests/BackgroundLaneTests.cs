using ItChatBot.Host.Delivery;

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

    /// <summary>The current thread's name, and its nice value from /proc (field 19 of its stat line; -1 off Linux).</summary>
    private static (string? Thread, int Nice) Here()
    {
        var nice = -1;
        if (OperatingSystem.IsLinux())
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            nice = int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
        }

        return (Thread.CurrentThread.Name, nice);
    }
}
