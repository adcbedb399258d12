using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;

namespace DnsblServer.Benchmarks.Reporting;

/// <summary>The machine and build a report was made on, printed above every table.</summary>
internal static class RunEnvironment
{
    /// <summary>One line: CPU model, cores, runtime, GC mode, and a warning for Debug builds.</summary>
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        string gc = GCSettings.IsServerGC ? "server GC" : "workstation GC";
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {gc}{(IsOptimized() ? "" : ", WARNING: Zones built without optimizations (use -c Release)")}";
    }

    private static bool IsOptimized()
    {
        var debuggable = typeof(Ip4Dataset).Assembly.GetCustomAttribute<DebuggableAttribute>();
        return debuggable is null || !debuggable.IsJITOptimizerDisabled;
    }
}
