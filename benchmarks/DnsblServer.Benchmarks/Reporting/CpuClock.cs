using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DnsblServer.Benchmarks.Reporting;

/// <summary>
/// CPU time, next to wall time: on this shared 2-core machine other jobs often hold the cores,
/// and wall-clock rates then measure the neighbours. The CPU time a thread or process actually
/// got is much less sensitive to that (cache and memory-bandwidth contention still show).
/// </summary>
internal static partial class CpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    /// <summary>CPU time used by the calling thread; falls back to the process on other systems.</summary>
    public static TimeSpan CurrentThread()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
        {
            return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
        }
        return CurrentProcess();
    }

    /// <summary>CPU time used by this process, all threads (GC and JIT included).</summary>
    public static TimeSpan CurrentProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User + system CPU time of another process from /proc/PID/stat (10 ms ticks); null when unreadable.</summary>
    public static TimeSpan? OfProcess(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
