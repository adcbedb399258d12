using BenchmarkDotNet.Running;
using DnsblServer.Benchmarks;
using DnsblServer.Benchmarks.Zones;

// Modes: `memory`, `loadtime`, `lookup`, `allocations` and `keyed` print their own tables (see README.md);
// `--type ip6trie,dnset` runs the first three on those types instead of ip4set;
// anything else goes to BenchmarkDotNet (`--filter '*Ip4Lookup*'`, `--list flat`, ...).
var rest = new ModeArguments(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "memory" when TypedReport.Handles(rest) => TypedReport.Memory(rest),
    "loadtime" when TypedReport.Handles(rest) => TypedReport.LoadTime(rest),
    "lookup" when TypedReport.Handles(rest) => TypedReport.Lookup(rest),
    "memory" => MemoryReport.Run(rest),
    "loadtime" => LoadTimeReport.Run(rest),
    "allocations" => AllocationCheck.Run(rest),
    "lookup" => LookupRateReport.Run(rest),
    "keyed" => DnsblServer.Benchmarks.Serving.KeyedQueryReport.Run(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Ip4LookupBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
