using System.Globalization;
using System.Runtime.CompilerServices;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// The <c>allocations</c> mode: the checked-in expected allocated bytes per lookup
/// (<c>allocations.expected.txt</c>, query path: 0), checked in a few seconds so CI can run it
/// (after Garnet's allocation baselines). Exits 1 when any lookup allocates more than expected.
/// </summary>
internal static class AllocationCheck
{
    private const int Probes = 1 << 18;

    public static int Run(ModeArguments args)
    {
        Console.WriteLine($"# allocations: {RunEnvironment.Describe()}");
        string expectedPath = args.Value("expected") ?? Path.Combine(AppContext.BaseDirectory, "allocations.expected.txt");
        var expected = File.ReadLines(expectedPath)
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

        var measured = new Dictionary<string, double>
        {
            ["ip4set.lookup.singles"] = PerLookup(DatasetFiles.LoadIp4(BenchmarkData.RandomSingles(200_000))),
            ["ip4set.lookup.ranges20"] = PerLookup(DatasetFiles.LoadIp4(BenchmarkData.RandomRanges20(10_000))),
            ["ip4trie.lookup.ranges20"] = PerLookup(DatasetFiles.LoadIp4(BenchmarkData.RandomRanges20(10_000), "ip4trie")),
            ["ip6trie.lookup"] = PerLookupIp6(BenchmarkData.Ip6TrieLike(100_000)),
            ["dnset.lookup"] = PerLookupDnset(BenchmarkData.DnsetLike(100_000)),
        };

        var table = new TextTable("path", "bytes/lookup", "expected", "ok");
        bool ok = true;
        foreach (var (name, bytes) in measured)
        {
            double limit = expected.TryGetValue(name, out double e) ? e : 0;
            bool fine = bytes <= limit;
            ok &= fine;
            table.Add(name, bytes.ToString("0.###", CultureInfo.InvariantCulture), limit, fine ? "yes" : "NO");
        }
        Console.Write(table);
        return ok ? 0 : 1;
    }

    private static double PerLookup(Ip4Dataset dataset)
    {
        uint[] probes = LookupProbes.Create(dataset, Probes);
        for (int i = 0; i < 50; i++) Walk(dataset, probes); // let tiering settle on the optimized code
        Thread.Sleep(200);
        Walk(dataset, probes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Walk(dataset, probes);
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / probes.Length;
    }

    private static double PerLookupIp6(DataSetFile file)
    {
        var dataset = (Ip6Dataset)DatasetFiles.Load(file).Dataset!;
        UInt128[] probes = Ip6Probes.Create(dataset, file.Entries, Probes);
        return PerCall(() => TypedReport.WalkIp6(dataset, probes), probes.Length);
    }

    private static double PerLookupDnset(DataSetFile file)
    {
        var dataset = (DnsSetDataset)DatasetFiles.Load(file).Dataset!;
        var probes = DnsNameProbes.Create(dataset, file.Entries, Probes);
        return PerCall(() => probes.Walk(dataset), probes.Count);
    }

    private static double PerCall(Func<int> walk, int lookups)
    {
        for (int i = 0; i < 50; i++) walk(); // let tiering settle on the optimized code
        Thread.Sleep(200);
        walk();
        long before = GC.GetAllocatedBytesForCurrentThread();
        walk();
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / lookups;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Walk(Ip4Dataset dataset, uint[] probes)
    {
        int listed = 0;
        foreach (uint address in probes) listed += dataset.Lookup(address).Length;
        return listed;
    }
}
