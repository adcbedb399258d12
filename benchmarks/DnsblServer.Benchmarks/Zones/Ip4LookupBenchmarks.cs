using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Trie;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// Lookup throughput on one core (issue target: at least 20 million lookups/s over 5,000,000
/// random single addresses, 0 bytes allocated per lookup). One operation is one lookup: each
/// invocation walks <see cref="ProbeCount"/> pre-generated addresses, half listed, half not.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/DnsblServer.Benchmarks -- --filter '*Ip4Lookup*'</c>.
/// The class carries its own short job (1 launch, 3 warm-ups, 5 iterations), so no <c>--job</c> is needed.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class Ip4LookupBenchmarks
{
    /// <summary>Lookups per invocation: 1M addresses (4 MiB), far more than any cache keeps hot for the map.</summary>
    public const int ProbeCount = 1 << 20;

    private Ip4Dataset _dataset = null!;
    private Ip4RangeMap _map = null!;
    private uint[] _probes = null!;

    /// <summary>The data set: 5M random singles (the target) or 100k random /20 ranges.</summary>
    [Params("singles-5M", "ranges20-100k")]
    public string DataSet { get; set; } = "singles-5M";

    [GlobalSetup]
    public void Setup()
    {
        var file = DataSet switch
        {
            "singles-5M" => BenchmarkData.RandomSingles(),
            "ranges20-100k" => BenchmarkData.RandomRanges20(),
            _ => throw new ArgumentException($"unknown data set {DataSet}"),
        };
        _dataset = DatasetFiles.LoadIp4(file);
        _map = _dataset.Map;
        _probes = LookupProbes.Create(_dataset, ProbeCount);
    }

    /// <summary>What the query path calls: the map search plus the value-set span.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ProbeCount)]
    public int DatasetLookup()
    {
        Ip4Dataset dataset = _dataset;
        int listed = 0;
        foreach (uint address in _probes) listed += dataset.Lookup(address).Length;
        return listed;
    }

    /// <summary>The map search alone (set id only).</summary>
    [Benchmark(OperationsPerInvoke = ProbeCount)]
    public int MapFind()
    {
        Ip4RangeMap map = _map;
        int sum = 0;
        foreach (uint address in _probes) sum += map.Find(address);
        return sum;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithIterationCount(5).WithId("Short"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
