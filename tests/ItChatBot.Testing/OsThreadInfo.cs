namespace ItChatBot.Testing;

/// <summary>Where the calling thread stands in the OS scheduler, for tests of what runs at lower priority.</summary>
public static class OsThreadInfo
{
    /// <summary>The calling thread's name, and its nice value from /proc (field 19 of its stat line; -1 off Linux).</summary>
    public static (string? Thread, int Nice) Current()
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

    /// <summary>
    /// The calling thread's time slice in nanoseconds (the <c>se.slice</c> line of /proc/thread-self/sched, Linux 6.6 and
    /// later); null where the kernel does not show it.
    /// </summary>
    public static ulong? Slice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/thread-self/sched"))
        {
            if (line.StartsWith("se.slice", StringComparison.Ordinal))
            {
                return ulong.Parse(line[(line.IndexOf(':') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Whether the kernel takes a thread's own time slice (<c>sched_setattr</c> with a runtime for a normal thread: Linux 6.12 and later).</summary>
    public static bool CustomSlices => OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(6, 12);
}
