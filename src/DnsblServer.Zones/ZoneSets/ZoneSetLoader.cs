using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Journal;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>What a (re)load did: the new set, and per dataset whether it was loaded, kept or failed.</summary>
public sealed record ZoneSetLoadResult(ZoneSet ZoneSet, IReadOnlyList<DatasetLoadReport> Reports)
{
    /// <summary>Pushed changes dropped from journals because the files read this time already do them.</summary>
    public IReadOnlyList<JournalFold> Folded { get; init; } = [];

    /// <summary>True when no dataset failed.</summary>
    public bool Succeeded => Reports.All(r => r.Error is null);
}

/// <summary>What happened to one dataset in a (re)load.</summary>
/// <param name="Key">The dataset (<c>type:files</c>).</param>
/// <param name="Reloaded">True when its files were read this time; false when it was unchanged and reused.</param>
/// <param name="Error">Why the load failed (the previous data, if any, keeps serving).</param>
/// <param name="Warnings">The first warnings of the load.</param>
/// <param name="WarningCount">All warnings.</param>
/// <param name="Elapsed">Time spent reading and building.</param>
public sealed record DatasetLoadReport(string Key, bool Reloaded, LoadDiagnostic? Error, IReadOnlyList<LoadDiagnostic> Warnings, int WarningCount, TimeSpan Elapsed);

/// <summary>
/// Builds a <see cref="ZoneSet"/> from zone specs. On a reload, datasets whose files have not
/// changed (mtime and size, as rbldnsd checks) are reused; a dataset that fails to load keeps its
/// previous data serving (rbldnsd drops it and answers SERVFAIL); one that never loaded leaves its
/// zones answering SERVFAIL.
/// </summary>
public static class ZoneSetLoader
{
    /// <summary>Loads or reloads.</summary>
    /// <param name="specs">Zone specs in command-line order.</param>
    /// <param name="options">Load settings.</param>
    /// <param name="previous">The set now serving, whose unchanged datasets are reused; null for a first load.</param>
    /// <param name="force">Reload every dataset even when its files look unchanged.</param>
    /// <param name="exempt">Exempt allow-lists and the zones they apply to.</param>
    /// <param name="pushed">Pushed entries: folded against the datasets read this time, then layered over the new set; null for none.</param>
    /// <param name="acceptShrink">Datasets (by key) read this time with the shrink guard off, and read even when unchanged: the operator accepted the cut; null for none.</param>
    /// <param name="reading">Called with each dataset's key just before its files are read (to tell which one a stalled load is stuck on).</param>
    /// <param name="parallelism">How many datasets are read at once. More starts sooner (the first load, where nothing
    /// serves yet), but the load's peak memory is then the sum of their build scratch; a reload reads one at a time.</param>
    public static ZoneSetLoadResult Load(IReadOnlyList<ZoneSpec> specs, LoadOptions options, ZoneSet? previous = null, bool force = false,
        IReadOnlyList<ExemptSpec>? exempt = null, PushedEntries? pushed = null, Func<string, bool>? acceptShrink = null, Action<string>? reading = null,
        int parallelism = 1)
    {
        exempt ??= [];
        var wanted = specs.Select(s => (Key: s.DatasetKey, s.Type, Files: (IReadOnlyList<string>)s.Files))
            .Concat(exempt.Select(e => (Key: e.DatasetKey, Type: DatasetTypes.Exempt.Name, e.Files)))
            .DistinctBy(w => w.Key)
            .ToArray();
        var loaded = new (ZoneDataset Dataset, DatasetLoadReport Report)[wanted.Length];
        if (parallelism > 1 && wanted.Length > 1)
        {
            try
            {
                Parallel.For(0, wanted.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                    i => loaded[i] = LoadOne(wanted[i].Key, wanted[i].Type, wanted[i].Files, options, previous, force, acceptShrink, reading));
            }
            catch (AggregateException e)
            {
                // what a load cannot turn into a dataset error (out of memory) reaches callers as it does one at a time
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else
        {
            for (int i = 0; i < wanted.Length; i++) loaded[i] = LoadOne(wanted[i].Key, wanted[i].Type, wanted[i].Files, options, previous, force, acceptShrink, reading);
        }
        var datasets = loaded.ToDictionary(l => l.Dataset.Key, l => l.Dataset);
        var reports = loaded.Select(l => l.Report).ToList();

        var zones = specs
            .Where(s => !s.IsGlobalAcl)
            .GroupBy(s => s.Name)
            .Select(g => new Zone(
                g.Key,
                [.. g.Select(s => s.DatasetKey).Distinct().Select(k => datasets[k])],
                [.. exempt.Where(e => e.AppliesTo(g.Key)).Select(e => e.DatasetKey).Distinct().Select(k => datasets[k])]))
            .OrderByDescending(z => z.LabelCount)
            .ToArray();
        var globalAcl = specs.FirstOrDefault(s => s.IsGlobalAcl) is { } acl ? datasets[acl.DatasetKey] : null;
        var set = new ZoneSet(zones, datasets, options.Now(), globalAcl);
        if (pushed is null) return new ZoneSetLoadResult(set, reports);
        // a dataset read this time carries no overlay yet: fold against the files alone, then layer
        var folded = pushed.Fold(reports.Where(r => r.Reloaded && r.Error is null).Select(r => (r.Key, datasets[r.Key].Dataset!)));
        return new ZoneSetLoadResult(set.WithPushed(pushed), reports) { Folded = folded };
    }

    // One dataset: reused when unchanged, else read (the previous data kept when the read fails or shrinks too far).
    private static (ZoneDataset, DatasetLoadReport) LoadOne(string key, string type, IReadOnlyList<string> files, LoadOptions options,
        ZoneSet? previous, bool force, Func<string, bool>? acceptShrink, Action<string>? reading)
    {
        ZoneDataset? old = null;
        previous?.Datasets.TryGetValue(key, out old);
        bool accepted = acceptShrink?.Invoke(key) == true;
        if (!force && !accepted && old?.Dataset is { } current && !HasChanged(current, options))
        {
            return (old, new DatasetLoadReport(key, false, null, [], 0, TimeSpan.Zero));
        }
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        reading?.Invoke(key);
        var result = DatasetLoader.Load(type, files, options);
        if (!accepted && result.Dataset is { } loaded && old?.Dataset is { } serving && ShrinkGuard.Check(files, serving, loaded, options) is { } refused)
        {
            result = result with { Dataset = null, Error = refused };
        }
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var attempted = options.Now();
        var dataset = new ZoneDataset(key, type, files, result.Dataset ?? old?.Dataset, result.Error)
        {
            LoadedAt = result.Dataset is not null ? attempted : old?.LoadedAt,
            LastAttemptAt = attempted,
            LastDuration = elapsed,
            FailureCount = (old?.FailureCount ?? 0) + (result.Error is null ? 0 : 1),
            RefusedCount = (old?.RefusedCount ?? 0) + (result.Error?.Kind == LoadDiagnosticKind.ShrinkRefused ? 1 : 0),
            WarningCount = result.Dataset is not null ? result.WarningCount : old?.WarningCount ?? 0,
        };
        return (dataset, new DatasetLoadReport(key, true, result.Error, result.Warnings, result.WarningCount, elapsed));
    }

    /// <summary>Opens (and replays) the journals of pushed entries of every dataset of <paramref name="specs"/> that takes them.</summary>
    /// <param name="specs">The zones served.</param>
    /// <param name="options">Load settings (to resolve file names).</param>
    /// <param name="stateDirectory">Where journals go; null = beside each dataset's first file.</param>
    public static PushedEntries OpenPushedEntries(IEnumerable<ZoneSpec> specs, LoadOptions options, string? stateDirectory) =>
        PushedEntries.Open(specs.Select(s => (s.DatasetKey, s.Type, (IReadOnlyList<string>)s.Files)), options, stateDirectory);

    /// <summary>True when any file of the dataset changed or vanished since it was read.</summary>
    public static bool HasChanged(Dataset dataset, LoadOptions options) =>
        dataset.Info.Files.Count != dataset.Info.FileNames.Count ||
        dataset.Info.Files.Any(f => FileStamp.Read(f.Path) != f);

    /// <summary>True when a reload would read any file (the cheap check done every <c>-c</c> seconds).</summary>
    public static bool NeedsReload(ZoneSet current, LoadOptions options) =>
        current.Datasets.Values.Any(d => d.Dataset is null || HasChanged(d.Dataset, options));
}
