using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Trie;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// The <c>lookup</c> mode: a quick Stopwatch cross-check of <see cref="Ip4LookupBenchmarks"/>
/// (same data, same probes) in seconds rather than minutes, with a breakdown (listed vs not
/// listed probes). Variants run round-robin,
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static int WalkLookup(Ip4Dataset dataset, uint[] probes)
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

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
