using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Rbldnsd;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// The <c>memory</c> mode: retained managed bytes per entry after a load, against the issue's
/// targets (at most 6 bytes per single address on 5M random singles; 100k random /20 ranges in
/// at most 2 MB) and against rbldnsd's malloc'd bytes for the same file.
/// </summary>
/// <remarks>
/// Retained = <c>GC.GetTotalMemory(true)</c> after the load (the result still referenced) minus the
/// same before it, each after three full collections. It counts everything the load keeps:
/// the map, the value sets, the dataset info. The transient build garbage is reported apart as
/// "allocated during load".
/// </remarks>
internal static class MemoryReport
{
    private sealed record Target(string Text, Func<long, int, bool> Met);

    public static int Run(ModeArguments args)
    {
        Console.WriteLine($"# memory: {RunEnvironment.Describe()}");
        var sets = new List<(Func<DataSetFile> File, Target? Target)>
        {
            (() => BenchmarkData.RandomSingles(args.Count("singles", 5_000_000)), new Target("<= 6 B/entry", (retained, entries) => retained <= 6L * entries)),
            (() => BenchmarkData.RandomRanges20(args.Count("ranges", 100_000)), new Target("<= 2 MB total", (retained, _) => retained <= 2_000_000)),
        };
        if (!args.Has("--no-uceprotect")) sets.Add((() => BenchmarkData.UceprotectLike(args.Count("lines", 5_000_000)), null));
        bool rbldnsd = !args.Has("--no-rbldnsd") && RbldnsdLoad.IsAvailable;

        var table = new TextTable("data set", "entries", "singles", "ranges", "retained", "B/entry", "Map.SizeInBytes", "map B/entry",
            "allocated during load", "load s", "rbldnsd heap", "rbldnsd B/entry", "target", "met");
        bool allMet = true;
        foreach (var (makeFile, target) in sets)
        {
            DataSetFile file = makeFile();
            var (retained, allocated, seconds, singles, ranges, mapBytes) = MeasureLoad(file);
            RbldnsdLoadResult? reference = rbldnsd ? RbldnsdLoad.Measure(file) : null;
            bool? met = target?.Met(retained, file.Entries);
            allMet &= met ?? true;
            table.Add(file.Name, file.Entries, singles, ranges,
                TextTable.Megabytes(retained), PerEntry(retained, file.Entries),
                TextTable.Megabytes(mapBytes), PerEntry(mapBytes, file.Entries),
                TextTable.Megabytes(allocated), seconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                TextTable.Megabytes(reference?.HeapUsedBytes), reference?.HeapUsedBytes is { } heap ? PerEntry(heap, file.Entries) : "-",
                target?.Text ?? "(info)", met is null ? "-" : met.Value ? "yes" : "NO");
            if (reference?.DatasetLine is { } line) Console.WriteLine($"// {line}");
        }
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        Console.WriteLine("retained: GC.GetTotalMemory(true) after minus before the load, 3 full GCs each; rbldnsd heap: mallinfo arena - free + mmap from its 'zones reloaded' line.");
        return allMet ? 0 : 1;
    }

    // The retained bytes of one load, measured while the result is still referenced. Only numbers
    // come back, so nothing of this load is alive when the next one measures its baseline.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (long Retained, long Allocated, double Seconds, int Singles, int Ranges, long MapBytes) MeasureLoad(DataSetFile file)
    {
        FullCollect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DatasetLoadResult result = DatasetFiles.Load(file);
        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        FullCollect();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        var map = ((Ip4Dataset)result.Dataset!).Map;
        GC.KeepAlive(result);
        return (after - before, allocated, seconds, map.SingleCount, map.RangeCount, map.SizeInBytes);
    }

    /// <summary>Three blocking, compacting full collections with finalizers run in between.</summary>
    public static void FullCollect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    private static string PerEntry(long bytes, int entries) =>
        ((double)bytes / entries).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
