using BenchmarkDotNet.Running;
using DnsblServer.Benchmarks;
using DnsblServer.Benchmarks.Zones;

// Modes: `memory`, `loadtime`, `lookup` and `allocations` print their own tables (see README.md);
// anything else goes to BenchmarkDotNet (`--filter '*Ip4Lookup*'`, `--list flat`, ...).
var rest = new ModeArguments(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "memory" => MemoryReport.Run(rest),
    "loadtime" => LoadTimeReport.Run(rest),
    "allocations" => AllocationCheck.Run(rest),
    "lookup" => LookupRateReport.Run(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Ip4LookupBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
