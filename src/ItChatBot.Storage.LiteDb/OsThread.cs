using System.Runtime.InteropServices;

namespace ItChatBot.Storage.LiteDb;

/// <summary>The calling thread's place in the OS scheduler.</summary>
/// <remarks>
/// Two kinds of thread share the cores under load: those that acknowledge a platform (request threads, the inbound
/// journal) and those that work after the ack (the store's writer, the background lanes). The first kind asks for a
/// short time slice, the second runs at nice 10 with the kernel's default slice. Linux's scheduler (EEVDF, 6.6 and
/// later) lets a thread that has just been given a core keep it for up to its slice (about 1.4 ms on these machines)
/// before a thread that wakes can take it; since 6.12 a waking thread whose own slice is shorter may take it at once.
/// So a request thread woken by its journal flush does not wait behind a commit or a ticket being opened.
/// Both calls need no privilege, and each fails quietly: the thread then keeps what it had.
/// </remarks>
public static partial class OsThread
{
    /// <summary>The slice <see cref="PreferShortSlice"/> asks for: 100 µs, the shortest the kernel accepts.</summary>
    public const ulong ShortSliceNanoseconds = 100_000;

    private const int SchedNormal = 0;
    private const int SysSchedSetAttrX64 = 314;
    private const int SysSchedSetAttrArm64 = 274;

    [ThreadStatic]
    private static bool t_shortSlice;

    /// <summary>
    /// Lowers the calling thread's priority (nice 10 on Linux; elsewhere nothing) and gives it the kernel's default time
    /// slice, for threads that do work after a platform was acknowledged: request threads then get the CPU first when
    /// both want it. A short slice inherited from the thread that created this one is given up here. Lowering one's own
    /// priority needs no privilege; if it fails anyway the thread keeps running at normal priority.
    /// </summary>
    public static void LowerPriority()
    {
        if (OperatingSystem.IsLinux() && !SetAttributes(nice: 10, sliceNanoseconds: 0))
        {
            _ = SetPriority(0, GetThreadId(), 10);
        }
    }

    /// <summary>
    /// Asks for a short time slice (<see cref="ShortSliceNanoseconds"/>, a custom slice of Linux 6.12 and later; older
    /// kernels ignore it) for the calling thread, once per thread, at normal priority where the thread may return to it
    /// (one created by a lowered thread inherited nice 10, and raising it needs a privilege; it then keeps its nice
    /// value). Threads the calling thread creates afterwards inherit it. Nothing off Linux.
    /// </summary>
    public static void PreferShortSlice()
    {
        if (t_shortSlice || !OperatingSystem.IsLinux())
        {
            return;
        }

        t_shortSlice = true;
        if (!SetAttributes(nice: 0, ShortSliceNanoseconds))
        {
            _ = SetAttributes(GetPriority(0, GetThreadId()), ShortSliceNanoseconds);
        }
    }

    /// <summary><c>sched_setattr</c> for the calling thread: normal policy, the nice value, and the slice (0 = the kernel's default).</summary>
    private static unsafe bool SetAttributes(int nice, ulong sliceNanoseconds)
    {
        var number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => SysSchedSetAttrX64,
            Architecture.Arm64 => SysSchedSetAttrArm64,
            _ => -1,
        };
        if (number < 0)
        {
            return false;
        }

        var attributes = new SchedAttr { Size = (uint)sizeof(SchedAttr), Policy = SchedNormal, Nice = nice, Runtime = sliceNanoseconds };
        return SysCall(number, 0, &attributes, 0) == 0;
    }

    /// <summary><c>struct sched_attr</c> as the kernel reads it (its first 48 bytes; the size field says so).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static unsafe partial long SysCall(long number, long pid, SchedAttr* attributes, long flags);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
