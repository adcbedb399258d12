using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Benchmarks.Zones.Prototypes;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Trie;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// The <c>lookup</c> mode: a quick Stopwatch cross-check of <see cref="Ip4LookupBenchmarks"/>
/// (same data, same probes) in seconds rather than minutes, with a breakdown (listed vs not
/// listed probes) and the <see cref="Ip4FindPrototype"/> variants. Variants run round-robin,
/// one pass of 1M probes each per round, so a burst of load from a neighbour hits them all.
/// Rates are per wall-clock second and per second of CPU time the thread got: on a busy shared
/// machine the latter is the "one core" figure, and the target is judged on its median.
/// </summary>
internal static class LookupRateReport
{
    private sealed record Variant(string Name, uint[] Probes, Func<uint[], int> Walk, bool IsTarget = false);

    public static int Run(ModeArguments args)
    {
        Console.WriteLine($"# lookup: {RunEnvironment.Describe()}");
        int rounds = args.Count("rounds", 15);
        bool prototypes = !args.Has("--no-prototypes");
        var table = new TextTable("data set", "variant", "wall: median M/s", "CPU: best M/s", "CPU: median M/s", "CPU ns/lookup (median)", "target", "met");
        bool allMet = true;
        foreach (var file in new[] { BenchmarkData.RandomSingles(args.Count("singles", 5_000_000)), BenchmarkData.RandomRanges20(args.Count("ranges", 100_000)) })
        {
            Ip4Dataset dataset = DatasetFiles.LoadIp4(file);
            Ip4RangeMap map = dataset.Map;
            uint[] probes = LookupProbes.Create(dataset, Ip4LookupBenchmarks.ProbeCount);
            uint[] listed = [.. probes.Where(a => !dataset.Lookup(a).IsEmpty)];
            uint[] unlisted = [.. probes.Where(a => dataset.Lookup(a).IsEmpty)];
            var variants = new List<Variant>
            {
                new("Dataset.Lookup", probes, p => WalkLookup(dataset, p), IsTarget: file.Name.StartsWith("singles", StringComparison.Ordinal)),
                new("Map.Find", probes, p => WalkFind(map, p)),
                new("Dataset.Lookup, listed probes only", listed, p => WalkLookup(dataset, p)),
                new("Dataset.Lookup, unlisted probes only", unlisted, p => WalkLookup(dataset, p)),
            };
            if (prototypes)
            {
                var prototype = new Ip4FindPrototype(map);
                Verify(prototype, probes, map);
                variants.Add(new("prototype: today's search (copy)", probes, p => WalkBranchy(prototype, p)));
                variants.Add(new("prototype: branch-free searches", probes, p => WalkBranchless(prototype, p)));
                variants.Add(new($"prototype: 20-bit buckets + /16 range index (+{(prototype.Size20 - prototype.Size16) / 1e6:0.0} MB)", probes, p => WalkWide(prototype, p)));
                variants.Add(new("prototype: 20-bit, fixed-step branch-free", probes, p => WalkFixed(prototype, p)));
                var unmerged = new Ip4FindPrototype(map, singlesUpTo: 4);
                Verify(unmerged, probes, map, sameIndexes: false);
                variants.Add(new("prototype: 20-bit + /16 index, ranges of <= 4 addresses kept as singles", probes, p => WalkWide(unmerged, p)));
                if (map.SingleCount > 0)
                {
                    variants.Add(new("floor: 1 random read of the singles array", probes, p => WalkFloor1(prototype, p)));
                    variants.Add(new("floor: 2 dependent random reads", probes, p => WalkFloor2(prototype, p)));
                }
            }

            foreach (var v in variants) for (int i = 0; i < 30; i++) v.Walk(v.Probes); // tier-up
            var wall = variants.Select(_ => new List<double>()).ToArray();
            var cpu = variants.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < variants.Count; i++)
                {
                    var v = variants[i];
                    TimeSpan cpuStart = CpuClock.CurrentThread();
                    long start = Stopwatch.GetTimestamp();
                    v.Walk(v.Probes);
                    wall[i].Add(v.Probes.Length / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6);
                    cpu[i].Add(v.Probes.Length / (CpuClock.CurrentThread() - cpuStart).TotalSeconds / 1e6);
                }
            }
            for (int i = 0; i < variants.Count; i++)
            {
                wall[i].Sort();
                cpu[i].Sort();
                double cpuMedian = cpu[i][cpu[i].Count / 2];
                bool? met = variants[i].IsTarget ? cpuMedian >= 20 : null;
                allMet &= met ?? true;
                table.Add(file.Name, variants[i].Name, F(wall[i][wall[i].Count / 2]), F(cpu[i][^1]), F(cpuMedian), F(1e3 / cpuMedian),
                    met is null ? "(info)" : ">= 20 M/s", met is null ? "-" : met.Value ? "yes" : "NO");
            }
        }
        Console.Write(table);
        return allMet ? 0 : 1;
    }

    // The prototypes must find exactly what the map finds, or their timings mean nothing.
    private static void Verify(Ip4FindPrototype prototype, uint[] probes, Ip4RangeMap map, bool sameIndexes = true)
    {
        foreach (uint a in probes)
        {
            int today = prototype.FindBranchy(a);
            bool listed = map.Find(a) != 0;
            if ((today >= 0) != listed || (prototype.FindWide(a) >= 0) != listed || (prototype.FindFixed(a) >= 0) != listed ||
                (sameIndexes && (prototype.FindBranchless(a) != today || prototype.FindWide(a) != today || prototype.FindFixed(a) != today)))
            {
                throw new InvalidOperationException($"prototype disagrees with the map at {a:X8}");
            }
        }
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkLookup(Ip4Dataset dataset, uint[] probes)
    {
        int listed = 0;
        foreach (uint address in probes) listed += dataset.Lookup(address).Length;
        return listed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkFind(Ip4RangeMap map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.Find(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkBranchy(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FindBranchy(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkBranchless(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FindBranchless(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkFloor1(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FloorOneRead(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkFloor2(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FloorTwoReads(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkFixed(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FindFixed(address);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkWide(Ip4FindPrototype map, uint[] probes)
    {
        int sum = 0;
        foreach (uint address in probes) sum += map.FindWide(address);
        return sum;
    }
}
