using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// Parse and build of a 5,000,000-line UCEPROTECT-like ip4set file, split into its stages:
/// reading lines, parsing them into entries, building the range map, and the whole load.
/// For the comparison with rbldnsd on the same file use the <c>loadtime</c> mode.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/DnsblServer.Benchmarks -- --filter '*Ip4Load*'</c>.
/// Each operation takes seconds, so the class runs the Monitoring strategy: 1 launch, 1 warm-up,
/// 3 measured iterations, one operation each (about 2 minutes for the class).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1, id: "Monitoring")]
public class Ip4LoadBenchmarks
{
    private DataSetFile _file = null!;
    private string[] _files = null!;
    private Ip4SetParser? _parsed;
    private DatasetLoadContext? _parsedContext;

    [GlobalSetup]
    public void Setup()
    {
        _file = BenchmarkData.UceprotectLike();
        _files = [_file.Path];
    }

    /// <summary>The whole load as the server does it: <see cref="DatasetLoader.Load"/>.</summary>
    [Benchmark(Baseline = true)]
    public Dataset Load() => DatasetFiles.Load(_file).Dataset!;

    /// <summary>Reading and splitting lines only (the floor for any parser).</summary>
    [Benchmark]
    public long ReadLines()
    {
        var parser = new NullLineParser();
        var context = new DatasetLoadContext(LoadOptions.Default);
        Check(ZoneFileReader.ReadFile(_file.Path, context, parser));
        return parser.Lines;
    }

    /// <summary>Reading and parsing into entries, without the build.</summary>
    [Benchmark]
    public object Parse() => ParseFile().Parser;

    [IterationSetup(Target = nameof(Build))]
    public void ParseForBuild() => (_parsed, _parsedContext) = ParseFile();

    /// <summary>The build alone: parsed entries into the range map and value sets.</summary>
    [Benchmark]
    public Dataset Build() => _parsed!.Finish(_files, _parsedContext!);

    [IterationCleanup(Target = nameof(Build))]
    public void DropParsed() => (_parsed, _parsedContext) = (null, null);

    private (Ip4SetParser Parser, DatasetLoadContext Context) ParseFile()
    {
        var parser = new Ip4SetParser();
        var context = new DatasetLoadContext(LoadOptions.Default);
        Check(ZoneFileReader.ReadFile(_file.Path, context, parser));
        return (parser, context);
    }

    private static void Check(LoadDiagnostic? error)
    {
        if (error is not null) throw new InvalidOperationException($"load failed: {error}");
    }
}
