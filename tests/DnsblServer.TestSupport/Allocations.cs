namespace DnsblServer.TestSupport;

/// <summary>What code allocates on the calling thread: the check every zero-allocation test uses.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes any of <paramref name="passes"/> runs of <paramref name="pass"/> allocated on this thread. The
    /// runtime's own work while it recompiles a hot loop (tiering, on-stack replacement) can land in a run and count
    /// here (a lookup test failed one run in seven right after a build), so one clean run shows the code allocates
    /// nothing; code that allocates shows in every run.
    /// </summary>
    public static long Fewest(Action pass, int passes = 4)
    {
        long fewest = long.MaxValue;
        for (int p = 0; p < passes; p++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    /// <summary>Bytes this thread allocates running <paramref name="pass"/> 1,000 times after 300 warm-up runs, the fewest of three tries (see <see cref="Fewest"/>).</summary>
    public static long PerThousandPasses(Action pass)
    {
        for (int i = 0; i < 300; i++) pass();
        return Fewest(() =>
        {
            for (int i = 0; i < 1000; i++) pass();
        }, passes: 3);
    }
}
