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
}
