namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>The allocation budget check every query-path test uses.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes this thread allocates running <paramref name="pass"/> 1,000 times, after 300 warm-up runs: the
    /// least of three tries, since the runtime recompiling a hot loop can count its own work on the thread
    /// in one of them. A pass that allocates shows in all three.
    /// </summary>
    public static long PerThousandPasses(Action pass)
    {
        for (int i = 0; i < 300; i++) pass();
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) pass();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
