using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Rbldnsd;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>
/// The <c>loadtime</c> mode: how long we take to parse and build a 5,000,000-line UCEPROTECT-like
/// file, next to how long rbldnsd takes on the same file on this machine (process start until it
/// answers a query for a listed address), alternating the two so noise hits both alike. Then a
/// stage breakdown of our load (read lines / parse / build) to show where the time goes.
/// </summary>
internal static class LoadTimeReport
{
    public static int Run(ModeArguments args)
    {
        Console.WriteLine($"# loadtime: {RunEnvironment.Describe()}");
        int runs = args.Count("runs", 3);
        var file = BenchmarkData.UceprotectLike(args.Count("lines", 5_000_000));
        bool rbldnsd = !args.Has("--no-rbldnsd") && RbldnsdLoad.IsAvailable;
        Console.WriteLine($"// {file.Path}: {file.Entries} data lines, {new FileInfo(file.Path).Length / 1e6:0.0} MB; rbldnsd: {(rbldnsd ? RbldnsdLoad.BinaryPath : "not run")}");

        var ours = new List<double>();
        var oursCpu = new List<double>();
        var theirs = new List<double>();
        var theirsCpu = new List<double>();
        var runTable = new TextTable("run", "ours: Load wall s", "ours: process CPU s", "rbldnsd: start to answer wall s", "rbldnsd: CPU s", "rbldnsd: logged s", "rbldnsd heap");
        for (int run = 1; run <= runs; run++)
        {
            var (seconds, cpu) = TimeLoad(file);
            ours.Add(seconds);
            oursCpu.Add(cpu);
            RbldnsdLoadResult? reference = rbldnsd ? RbldnsdLoad.Measure(file) : null;
            if (reference is not null)
            {
                theirs.Add(reference.TimeToAnswer.TotalSeconds);
                theirsCpu.Add(reference.CpuTime?.TotalSeconds ?? double.NaN);
            }
            runTable.Add(run, S(seconds), S(cpu), reference is null ? "-" : S(reference.TimeToAnswer.TotalSeconds),
                reference?.CpuTime is { } theirCpu ? S(theirCpu.TotalSeconds) : "-",
                reference?.LoggedSeconds?.ToString("0.0", CultureInfo.InvariantCulture), TextTable.Megabytes(reference?.HeapUsedBytes));
            if (run == 1 && reference?.DatasetLine is { } line) Console.WriteLine($"// {line}");
        }
        Console.WriteLine();
        Console.Write(runTable);

        Console.WriteLine();
        var summary = new TextTable("figure", "ours wall s", "rbldnsd wall s", "wall ours/rbldnsd", "ours CPU s", "rbldnsd CPU s", "CPU ours/rbldnsd");
        void Row(string name, Func<List<double>, double> pick)
        {
            bool both = theirs.Count > 0;
            summary.Add(name, S(pick(ours)), both ? S(pick(theirs)) : "-", both ? Ratio(pick(ours), pick(theirs)) : "-",
                S(pick(oursCpu)), both ? S(pick(theirsCpu)) : "-", both ? Ratio(pick(oursCpu), pick(theirsCpu)) : "-");
        }
        Row("first run", v => v[0]);
        Row($"median of {runs}", Median);
        Row($"best of {runs}", v => v.Min());
        Console.Write(summary);

        Console.WriteLine();
        Console.Write(Breakdown(file));
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static (double Wall, double Cpu) TimeLoad(DataSetFile file)
    {
        MemoryReport.FullCollect();
        TimeSpan cpu = CpuClock.CurrentProcess();
        var clock = Stopwatch.StartNew();
        var result = DatasetFiles.Load(file);
        double seconds = clock.Elapsed.TotalSeconds;
        cpu = CpuClock.CurrentProcess() - cpu;
        GC.KeepAlive(result);
        return (seconds, cpu.TotalSeconds);
    }

    // One pass of each stage, with the allocations and GCs it caused.
    private static TextTable Breakdown(DataSetFile file)
    {
        var table = new TextTable("stage (one pass each)", "wall s", "thread CPU s", "allocated", "gen0/1/2 GCs");
        Stage(table, "read + split lines (no parser)", () =>
        {
            var context = new DatasetLoadContext(LoadOptions.Default);
            Check(ZoneFileReader.ReadFile(file.Path, context, new NullLineParser()));
            return null;
        });
        Ip4SetParser? parser = null;
        DatasetLoadContext? parsed = null;
        Stage(table, "read + parse into entries", () =>
        {
            parsed = new DatasetLoadContext(LoadOptions.Default);
            parser = new Ip4SetParser();
            Check(ZoneFileReader.ReadFile(file.Path, parsed, parser));
            return parser;
        });
        Stage(table, "build (Finish: sweep, map, value sets)", () => parser!.Finish([file.Path], parsed!));
        parser = null;
        parsed = null;
        Stage(table, "whole load (DatasetLoader.Load)", () => DatasetFiles.Load(file));
        return table;
    }

    private static void Stage(TextTable table, string name, Func<object?> stage)
    {
        MemoryReport.FullCollect();
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu = CpuClock.CurrentThread();
        var clock = Stopwatch.StartNew();
        object? keep = stage();
        double seconds = clock.Elapsed.TotalSeconds;
        cpu = CpuClock.CurrentThread() - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        table.Add(name, S(seconds), S(cpu.TotalSeconds), TextTable.Megabytes(allocated),
            $"{GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}");
        GC.KeepAlive(keep);
    }

    private static void Check(LoadDiagnostic? error)
    {
        if (error is not null) throw new InvalidOperationException($"load failed: {error}");
    }

    private static string S(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double b) => (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
