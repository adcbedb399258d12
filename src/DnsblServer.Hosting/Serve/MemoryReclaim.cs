using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Gives a load's garbage, and the code only a start or a load runs, back to the system.
/// <para>
/// A build leaves its scratch arrays (and, after a swap, the old data) in the large object heap, which the
/// runtime neither compacts nor returns on its own: over a few reloads of a 4M-entry zone the process grew from
/// 145 to 460 MB (benchmarks/load/reload.sh). One compacting, decommitting collection after each publish keeps
/// it near old + new data. It is a blocking collection, but the live heap is a handful of large arrays, so
/// marking it takes milliseconds (logged with each reload).
/// </para>
/// <para>
/// The start (configuration, hosting, Kestrel) and a load touch about 10 MB of the 15 MB Native AOT image, which
/// then stays resident though queries run a few hundred KB of it: half of an idle server's RSS. Those pages are
/// clean copies of the executable file, so they are handed back (<c>madvise(MADV_PAGEOUT)</c>, Linux 5.4+, on every
/// read-only file mapping); what runs again faults back in from the page cache, where they stay (checked with fincore: the whole image
/// stays cached, and an idle server counts about 15 major faults). Pages shared
/// with another process, and anything written (data, relocations, the heap), are left alone by the kernel.
/// </para>
/// </summary>
internal static partial class MemoryReclaim
{
    private const int MadvPageOut = 21;

    /// <summary>
    /// Collects and compacts everything, large objects included, returns the code pages (unless <paramref name="pageOut"/>
    /// is false: the first load leaves that to the end of the start, off the way to the first answer), and logs the heap,
    /// the RSS and the pause.
    /// </summary>
    public static void AfterLoad(ILogger logger, bool pageOut = true)
    {
        long started = Stopwatch.GetTimestamp();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (pageOut) PageOutCode();
        Log.MemoryReclaimed(logger, GC.GetTotalMemory(false) >> 20, Environment.WorkingSet >> 20, milliseconds); // WorkingSet is VmRSS on Linux
    }

    /// <summary>
    /// <see cref="PageOutCode"/> on a pool thread, alongside what the caller does next (the first load: the start's
    /// pages need not add to its peak, and the 5-10 ms of madvise need not delay its first answer).
    /// </summary>
    public static void PageOutCodeInBackground() => ThreadPool.UnsafeQueueUserWorkItem(static _ => PageOutCode(), null);

    /// <summary>
    /// Hands the clean pages of the executable and libraries back to the kernel (see the class remarks). Quietly does
    /// nothing where that cannot be done (not Linux, an older kernel, a sandbox refusing madvise).
    /// </summary>
    public static void PageOutCode()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // start-end perms offset dev inode path: a read-only (or executable) mapping of a file
                string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[1][1] == 'w' || !fields[5].StartsWith('/')) continue;
                int dash = fields[0].IndexOf('-');
                nint start = (nint)ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                nint end = (nint)ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _ = Madvise(start, (nuint)(end - start), MadvPageOut); // EINVAL on kernels before 5.4: nothing to do
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // no /proc, or a restricted one (hidepid, a sandbox): keep the pages. It is a hint: never worth a failed
            // reload, and on the pool thread of the first load an escaping exception would end the process
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
