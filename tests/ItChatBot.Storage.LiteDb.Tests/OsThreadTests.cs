using ItChatBot.Testing;

namespace ItChatBot.Storage.LiteDb.Tests;

/// <summary>
/// The two places a thread can take in the scheduler: a request thread's short slice, and an after-ack thread's nice 10
/// with the default slice. Each case runs on a thread of its own, so nothing leaks into the test runner's threads.
/// </summary>
public sealed class OsThreadTests
{
    [Fact]
    public void A_thread_that_prefers_a_short_slice_gets_it_and_the_threads_it_creates_start_with_it()
    {
        var (before, after, child, nice) = OnNewThread(() =>
        {
            var before = OsThreadInfo.Slice();
            OsThread.PreferShortSlice();
            var after = OsThreadInfo.Slice();
            var child = OnNewThread(OsThreadInfo.Slice);
            return (before, after, child, OsThreadInfo.Current().Nice);
        });

        if (OsThreadInfo.CustomSlices)
        {
            Assert.NotEqual(OsThread.ShortSliceNanoseconds, before);
            Assert.Equal(OsThread.ShortSliceNanoseconds, after);
            Assert.Equal(OsThread.ShortSliceNanoseconds, child);
        }
        else
        {
            // An older kernel ignores the request: the thread keeps the slice it had.
            Assert.Equal(before, after);
        }

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(0, nice);
        }
    }

    [Fact]
    public void A_lowered_thread_runs_at_nice_10_and_gives_up_an_inherited_short_slice_for_the_default()
    {
        var (defaultSlice, lowered, nice) = OnNewThread(() =>
        {
            var defaultSlice = OsThreadInfo.Slice();
            OsThread.PreferShortSlice();
            return (defaultSlice, OnNewThread(() =>
            {
                OsThread.LowerPriority();
                return OsThreadInfo.Slice();
            }), OnNewThread(() =>
            {
                OsThread.LowerPriority();
                return OsThreadInfo.Current().Nice;
            }));
        });

        if (OsThreadInfo.CustomSlices)
        {
            Assert.NotEqual(OsThread.ShortSliceNanoseconds, defaultSlice);
            Assert.Equal(defaultSlice, lowered);
        }

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(10, nice);
        }
    }

    [Fact]
    public void A_thread_that_inherited_nice_10_keeps_a_nice_value_it_may_have_and_gets_the_short_slice()
    {
        var (slice, nice) = OnNewThread(() =>
        {
            OsThread.LowerPriority();
            return OnNewThread(() =>
            {
                OsThread.PreferShortSlice();
                return (OsThreadInfo.Slice(), OsThreadInfo.Current().Nice);
            });
        });

        if (OsThreadInfo.CustomSlices)
        {
            Assert.Equal(OsThread.ShortSliceNanoseconds, slice);
        }

        if (OperatingSystem.IsLinux())
        {
            // Back to 0 where the process may raise a thread's priority (root here; elsewhere RLIMIT_NICE may allow it);
            // otherwise it stays at 10, and the call still succeeds for the slice.
            if (Environment.UserName == "root")
            {
                Assert.Equal(0, nice);
            }
            else
            {
                Assert.Contains(nice, new[] { 0, 10 });
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a new thread (which starts with this thread's scheduling) and returns its result.</summary>
    private static T OnNewThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("The thread failed.", failure);
    }
}
