using System.Runtime.InteropServices;

namespace ItChatBot.Storage.LiteDb;

/// <summary>The calling thread's place in the OS scheduler.</summary>
public static partial class OsThread
{
    /// <summary>
    /// Lowers the calling thread's priority (nice 10 on Linux; elsewhere nothing), for threads that do work after a
    /// platform was acknowledged: request threads then get the CPU first when both want it. Lowering one's own
    /// priority needs no privilege; if it fails anyway the thread keeps running at normal priority.
    /// </summary>
    public static void LowerPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetPriority(0, GetThreadId(), 10);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
