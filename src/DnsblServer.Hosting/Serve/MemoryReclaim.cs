using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Gives a load's garbage back to the system. A build leaves its scratch arrays (and, after a swap,
/// the old data) in the large object heap, which the runtime neither compacts nor returns on its own:
/// over a few reloads of a 4M-entry zone the process grew from 145 to 460 MB (benchmarks/load/reload.sh).
/// One compacting, decommitting collection after each publish keeps it near old + new data. It is a
/// blocking collection, but the live heap is a handful of large arrays, so marking it takes
/// milliseconds (logged with each reload).
/// </summary>
internal static class MemoryReclaim
{
    /// <summary>Collects and compacts everything, large objects included, and logs the heap left and the pause.</summary>
    public static void AfterLoad(ILogger logger)
    {
        long started = Stopwatch.GetTimestamp();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.MemoryReclaimed(logger, GC.GetTotalMemory(false) >> 20, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
