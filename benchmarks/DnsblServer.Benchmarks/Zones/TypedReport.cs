using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Rbldnsd;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// <c>memory</c>, <c>lookup</c> and <c>loadtime</c> with <c>--type ip6trie,dnset</c> (issue 4; add <c>ip4set</c>
/// for a random-singles ip4set of the same size, to read the others against under the same load): the same
/// measurements as the ip4set modes on a 1-million-entry ip6trie and dnset (<c>--entries N</c>), next to
/// rbldnsd on the same files. rbldnsd's memory is its RSS after the load minus its RSS on a one-entry
/// file of the same type (what the process costs empty), and its malloc'd heap the same way.
/// </summary>
internal static class TypedReport
{
    /// <summary>True when <c>--type</c> names something else than ip4set (the modes' own tables).</summary>
    public static bool Handles(ModeArguments args) => args.Value("type") is { } type && type != "ip4set";

    private static IEnumerable<DataSetFile> Files(ModeArguments args)
    {
        int entries = args.Count("entries", 1_000_000);
        foreach (string type in args.Value("type")!.Split(','))
        {
            yield return type switch
            {
                "ip6trie" => BenchmarkData.Ip6TrieLike(entries),
                "dnset" => BenchmarkData.DnsetLike(entries),
                "ip4set" => BenchmarkData.RandomSingles(entries), // for scale next to the others (random singles)
                _ => throw new ArgumentException($"--type {type}: ip6trie, dnset or ip4set, or several separated by commas (ip4set alone: the ip4set modes)"),
            };
        }
    }

    /// <summary>Retained bytes per entry, ours vs rbldnsd's RSS and heap (minus the one-entry baseline).</summary>
    public static int Memory(ModeArguments args)
    {
        Console.WriteLine($"# memory --type {args.Value("type")}: {RunEnvironment.Describe()}");
        bool rbldnsd = !args.Has("--no-rbldnsd") && RbldnsdLoad.IsAvailable;
        var table = new TextTable("data set", "entries", "retained", "B/entry", "SizeInBytes", "allocated during load", "load s",
            "rbldnsd RSS - baseline", "rbldnsd RSS B/entry", "rbldnsd heap - baseline", "rbldnsd heap B/entry", "RSS/retained");
        foreach (DataSetFile file in Files(args))
        {
            var (retained, allocated, seconds, size) = MeasureLoad(file);
            long? rss = null, heap = null;
            if (rbldnsd)
            {
                var full = RbldnsdLoad.Measure(file);
                var empty = RbldnsdLoad.Measure(BenchmarkData.OneEntryLike(file));
                rss = full.RssBytes - empty.RssBytes;
                heap = full.HeapUsedBytes - empty.HeapUsedBytes;
                Console.WriteLine($"// rbldnsd: {full.DatasetLine}; RSS {TextTable.Megabytes(full.RssBytes)} loaded, {TextTable.Megabytes(empty.RssBytes)} with one entry");
            }
            table.Add(file.Name, file.Entries, TextTable.Megabytes(retained), PerEntry(retained, file.Entries), TextTable.Megabytes(size),
                TextTable.Megabytes(allocated), S(seconds), TextTable.Megabytes(rss), rss is { } r ? PerEntry(r, file.Entries) : "-",
                TextTable.Megabytes(heap), heap is { } h ? PerEntry(h, file.Entries) : "-",
                rss is { } r2 ? (r2 / (double)retained).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-");
        }
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        Console.WriteLine("retained: GC.GetTotalMemory(true) after minus before the load, 3 full GCs each; rbldnsd: VmRSS when it first answers, and mallinfo arena - free + mmap, each minus the same on a one-entry file.");
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Retained, long Allocated, double Seconds, long Size) MeasureLoad(DataSetFile file)
    {
        MemoryReport.FullCollect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        DatasetLoadResult result = DatasetFiles.Load(file);
        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        MemoryReport.FullCollect();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        long size = result.Dataset!.SizeInBytes;
        GC.KeepAlive(result);
        return (after - before, allocated, seconds, size);
    }

    private sealed record Variant(string Name, Func<int> Walk, int Count);

    /// <summary>Lookups per second of CPU time (hits and misses mixed, and each alone), and bytes allocated per lookup.</summary>
    public static int Lookup(ModeArguments args)
    {
        Console.WriteLine($"# lookup --type {args.Value("type")}: {RunEnvironment.Describe()}");
        int rounds = args.Count("rounds", 15);
        int count = args.Count("probes", 1 << 20);
        var table = new TextTable("data set", "variant", "probes", "wall: median M/s", "CPU: best M/s", "CPU: median M/s", "CPU ns/lookup (median)", "B/lookup");
        bool allocationFree = true;
        foreach (DataSetFile file in Files(args))
        {
            var variants = Variants(file, count);
            foreach (var v in variants) for (int i = 0; i < 30; i++) v.Walk(); // tier-up
            var wall = variants.Select(_ => new List<double>()).ToArray();
            var cpu = variants.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < variants.Count; i++)
                {
                    TimeSpan cpuStart = CpuClock.CurrentThread();
                    long start = Stopwatch.GetTimestamp();
                    variants[i].Walk();
                    wall[i].Add(variants[i].Count / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6);
                    cpu[i].Add(variants[i].Count / (CpuClock.CurrentThread() - cpuStart).TotalSeconds / 1e6);
                }
            }
            for (int i = 0; i < variants.Count; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                variants[i].Walk();
                double perLookup = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / variants[i].Count;
                allocationFree &= perLookup == 0;
                wall[i].Sort();
                cpu[i].Sort();
                double median = cpu[i][cpu[i].Count / 2];
                table.Add(file.Name, variants[i].Name, variants[i].Count, F(wall[i][wall[i].Count / 2]), F(cpu[i][^1]), F(median), F(1e3 / median),
                    perLookup.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }
        Console.Write(table);
        return allocationFree ? 0 : 1;
    }

    private static List<Variant> Variants(DataSetFile file, int count)
    {
        switch (DatasetFiles.Load(file).Dataset)
        {
            case Ip4Dataset ip4:
            {
                uint[] probes = LookupProbes.Create(ip4, count);
                return [new("Ip4Dataset.Lookup, half listed (for scale)", () => LookupRateReport.WalkLookup(ip4, probes), probes.Length)];
            }
            case Ip6Dataset ip6:
            {
                UInt128[] probes = Ip6Probes.Create(ip6, file.Entries, count);
                UInt128[] listed = [.. probes.Where(a => !ip6.Lookup(a).IsEmpty)];
                UInt128[] unlisted = [.. probes.Where(a => ip6.Lookup(a).IsEmpty)];
                // which form answers: a /64 block, a single /128, or a range (/48, /56); misses inside a provider /32 or not
                var spans = ip6.Map.Entries().Select(e => (e.First, e.Last)).ToArray();
                UInt128 SpanSize(UInt128 a)
                {
                    int lo = 0, hi = spans.Length - 1;
                    while (lo < hi)
                    {
                        int mid = (lo + hi + 1) >>> 1;
                        if (spans[mid].First <= a) lo = mid; else hi = mid - 1;
                    }
                    return spans[lo].Last - spans[lo].First;
                }
                var providers = Ip6DataGenerator.Providers(file.Entries, Ip4DataGenerator.DefaultSeed).ToHashSet();
                UInt128[] inBlocks = [.. listed.Where(a => SpanSize(a) == ulong.MaxValue)];
                UInt128[] inSingles = [.. listed.Where(a => SpanSize(a) == 0)];
                UInt128[] inRanges = [.. listed.Where(a => SpanSize(a) is var size && size != 0 && size != ulong.MaxValue)];
                UInt128[] nearMisses = [.. unlisted.Where(a => providers.Contains((uint)(a >> 96)))];
                UInt128[] farMisses = [.. unlisted.Where(a => !providers.Contains((uint)(a >> 96)))];
                return
                [
                    new("Ip6Dataset.Lookup, half listed", () => WalkIp6(ip6, probes), probes.Length),
                    new("listed probes only", () => WalkIp6(ip6, listed), listed.Length),
                    new("unlisted probes only", () => WalkIp6(ip6, unlisted), unlisted.Length),
                    new("  listed, in a /64 block", () => WalkIp6(ip6, inBlocks), inBlocks.Length),
                    new("  listed, a single /128", () => WalkIp6(ip6, inSingles), inSingles.Length),
                    new("  listed, in a range (/48, /56, merged /64s)", () => WalkIp6(ip6, inRanges), inRanges.Length),
                    new("  unlisted, in a listed provider /32", () => WalkIp6(ip6, nearMisses), nearMisses.Length),
                    new("  unlisted, elsewhere in 2000::/3", () => WalkIp6(ip6, farMisses), farMisses.Length),
                ];
            }
            case DnsSetDataset names:
            {
                var probes = DnsNameProbes.Create(names, file.Entries, count);
                var listed = probes.Where(names, listed: true);
                var unlisted = probes.Where(names, listed: false);
                Console.WriteLine($"// {file.Name}: probe names average {probes.AverageTextLength:0.0} characters");
                return
                [
                    new("DnsSetDataset.TryLookup, half listed", () => probes.Walk(names), probes.Count),
                    new("listed probes only", () => listed.Walk(names), listed.Count),
                    new("unlisted probes only", () => unlisted.Walk(names), unlisted.Count),
                ];
            }
            default:
                throw new InvalidOperationException($"{file.Name}: no lookup walk for {file.Type}");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static int WalkIp6(Ip6Dataset dataset, UInt128[] probes)
    {
        int listed = 0;
        foreach (UInt128 address in probes) listed += dataset.Lookup(address).Length;
        return listed;
    }

    /// <summary>Our warm load time vs rbldnsd's start-to-answer, alternating, median of <c>--runs</c> (3).</summary>
    public static int LoadTime(ModeArguments args)
    {
        Console.WriteLine($"# loadtime --type {args.Value("type")}: {RunEnvironment.Describe()}");
        int runs = args.Count("runs", 3);
        bool rbldnsd = !args.Has("--no-rbldnsd") && RbldnsdLoad.IsAvailable;
        var table = new TextTable("data set", "MB", "ours first wall s", "ours median wall s", "ours median CPU s",
            "rbldnsd median wall s", "rbldnsd median CPU s", "wall ours/rbldnsd", "CPU ours/rbldnsd");
        foreach (DataSetFile file in Files(args))
        {
            var ours = new List<(double Wall, double Cpu)>();
            var theirs = new List<(double Wall, double Cpu)>();
            for (int run = 0; run < runs; run++)
            {
                ours.Add(LoadTimeReport.TimeLoad(file));
                if (!rbldnsd) continue;
                var reference = RbldnsdLoad.Measure(file);
                theirs.Add((reference.TimeToAnswer.TotalSeconds, reference.CpuTime?.TotalSeconds ?? double.NaN));
                if (run == 0) Console.WriteLine($"// rbldnsd: {reference.DatasetLine}");
            }
            double ow = Median(ours.Select(o => o.Wall)), oc = Median(ours.Select(o => o.Cpu));
            double tw = rbldnsd ? Median(theirs.Select(t => t.Wall)) : double.NaN, tc = rbldnsd ? Median(theirs.Select(t => t.Cpu)) : double.NaN;
            table.Add(file.Name, (new FileInfo(file.Path).Length / 1e6).ToString("0.0", CultureInfo.InvariantCulture), S(ours[0].Wall), S(ow), S(oc),
                S(tw), S(tc), (ow / tw).ToString("0.00", CultureInfo.InvariantCulture) + "x", (oc / tc).ToString("0.00", CultureInfo.InvariantCulture) + "x");
        }
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine("ours: DatasetLoader.Load in this process (first run includes JIT); rbldnsd: process start until it answers a listed name.");
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string PerEntry(long bytes, int entries) => ((double)bytes / entries).ToString("0.00", CultureInfo.InvariantCulture);

    private static string S(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
