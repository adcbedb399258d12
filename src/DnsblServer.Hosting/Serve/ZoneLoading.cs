using DnsblServer.Serving.Resolving;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Journal;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>Loads the zone set and logs what happened, rbldnsd-style: at most 5 warnings per dataset, then a count.</summary>
internal sealed class ZoneLoading(IReadOnlyList<ZoneSpec> specs, IReadOnlyList<ExemptSpec> exempt, LoadOptions options, ILogger logger)
{
    /// <summary>rbldnsd logs at most this many warnings per dataset and load.</summary>
    public const int LoggedWarnings = 5;

    /// <summary>The specs served.</summary>
    public IReadOnlyList<ZoneSpec> Specs => specs;

    /// <summary>The exempt lists served.</summary>
    public IReadOnlyList<ExemptSpec> Exempt => exempt;

    /// <summary>The load settings.</summary>
    public LoadOptions Options => options;

    // a semaphore, not a lock: a waiter gives up once the load it waits for is stalled (a hung read keeps its thread)
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private long _loadStarted; // Stopwatch timestamp of the running load; 0 when none
    private DateTimeOffset _loadStartedAt;
    private string? _reading;
    private long _stalledLoads;
    private int _stallLogged;

    /// <summary>A load running longer than this is stalled: logged, counted, shown in /readyz, and no longer waited for (<c>Dnsbl:LoadTimeout</c>).</summary>
    public TimeSpan LoadTimeout { get; init; } = Configuration.ServerSettings.DefaultLoadTimeout;

    /// <summary>Test hook: runs on the loading thread before each dataset is read (a test blocks it like a hung NFS read).</summary>
    internal Action<string>? BeforeRead { get; init; }

    /// <summary>Loads that ran past <see cref="LoadTimeout"/> since the start (<c>dnsbl_load_stalled_total</c>); reading it notices a stall, as a scrape should.</summary>
    public long StalledLoads
    {
        get
        {
            _ = Stalled();
            return Interlocked.Read(ref _stalledLoads);
        }
    }

    /// <summary>When the running load is stalled: the dataset it is reading, since when, and for how long; null otherwise.</summary>
    public (string Dataset, DateTimeOffset Since, TimeSpan For)? Stalled()
    {
        long started = Interlocked.Read(ref _loadStarted);
        if (started == 0) return null;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (elapsed <= LoadTimeout) return null;
        var stalled = (Volatile.Read(ref _reading) ?? "zone set", _loadStartedAt, elapsed);
        if (Interlocked.CompareExchange(ref _stallLogged, 1, 0) == 0)
        {
            Interlocked.Increment(ref _stalledLoads);
            Log.LoadStalled(logger, stalled.Item1, elapsed.TotalSeconds);
        }
        return stalled;
    }

    private readonly Lock _publishGate = new();

    /// <summary>Pushed entries layered over every load (admin API journals); null when none.</summary>
    public PushedEntries? Pushed { get; init; }

    /// <summary>Opens (and replays) the journals of pushed entries and logs what the replay found.</summary>
    public static PushedEntries OpenPushedEntries(IEnumerable<ZoneSpec> specs, LoadOptions options, string? stateDirectory, ILogger logger)
    {
        var pushed = ZoneSetLoader.OpenPushedEntries(specs, options, stateDirectory);
        foreach (var replay in pushed.Replays)
        {
            if (replay.Fault is not null) Log.JournalUnusable(logger, replay.Fault, replay.DatasetKey);
            foreach (string problem in replay.Problems) Log.JournalLineSkipped(logger, problem);
            if (replay.Unreported > 0) Log.JournalLinesNotShown(logger, replay.Path, replay.Unreported);
            if (replay.Changes > 0) Log.JournalReplayed(logger, replay.DatasetKey, replay.Changes, replay.Path);
        }
        return pushed;
    }

    /// <summary>The last load's result; null before the first.</summary>
    public ZoneSetLoadResult? LastResult { get; private set; }

    /// <summary>When the last load finished.</summary>
    public DateTimeOffset? LastLoadAt { get; private set; }

    /// <summary>
    /// Reloads what changed against the set now served and publishes the result. Loads run one at a
    /// time (so journal folding always sees the newest files); pushed entries are not held up by them.
    /// </summary>
    /// <param name="processor">Where the result is published.</param>
    /// <param name="force">Read every dataset even when unchanged.</param>
    /// <param name="acceptShrink">Datasets read once with the shrink guard off (the operator accepted the cut); null for none.</param>
    /// <exception cref="LoadStalledException">The load running now is stalled (past <see cref="LoadTimeout"/>): this one does not wait for it.</exception>
    public ZoneSetLoadResult Reload(QueryProcessor processor, bool force = false, Func<string, bool>? acceptShrink = null)
    {
        // wait in slices: a load still within its deadline is waited for, a stalled one is not
        while (!_loadGate.Wait(TimeSpan.FromMilliseconds(200)))
        {
            if (Stalled() is { } stalled) throw new LoadStalledException(stalled.Dataset, stalled.Since, stalled.For);
        }
        try
        {
            Volatile.Write(ref _stallLogged, 0);
            _loadStartedAt = options.Now();
            Interlocked.Exchange(ref _loadStarted, System.Diagnostics.Stopwatch.GetTimestamp());
            var result = Load(processor.Zones, force, acceptShrink);
            Publish(processor, result.ZoneSet);
            if (result.Reports.Any(r => r.Reloaded)) MemoryReclaim.AfterLoad(logger);
            return result;
        }
        finally
        {
            Interlocked.Exchange(ref _loadStarted, 0);
            Volatile.Write(ref _reading, null);
            _loadGate.Release();
        }
    }

    /// <summary>Publishes <paramref name="set"/> with the pushed entries layered over it.</summary>
    public void Publish(QueryProcessor processor, ZoneSet set)
    {
        lock (_publishGate) processor.Publish(set.WithPushed(Pushed));
    }

    /// <summary>Publishes the set now served again (a zone expired: the new snapshot marks it SERVFAIL).</summary>
    public void Republish(QueryProcessor processor)
    {
        // read and publish under the same lock as a load's publish, so a newer set is never rolled back
        lock (_publishGate) processor.Publish(processor.Zones.WithPushed(Pushed));
    }

    /// <summary>Runs <paramref name="change"/> (a journal append) and publishes the served set with it, as one step.</summary>
    public void PublishChange(QueryProcessor processor, Action change)
    {
        lock (_publishGate)
        {
            change();
            processor.Publish(processor.Zones.WithPushed(Pushed));
        }
    }

    /// <summary>Loads (or reloads against <paramref name="previous"/>) and logs the reports.</summary>
    public ZoneSetLoadResult Load(ZoneSet? previous, bool force = false, Func<string, bool>? acceptShrink = null)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        // the first load reads datasets side by side (nothing answers until it ends); a reload one at a time, so its
        // peak memory is one build's scratch next to the data serving
        int parallelism = previous is null ? Environment.ProcessorCount : 1;
        var result = ZoneSetLoader.Load(specs, options, previous, force, exempt, Pushed, acceptShrink, key =>
        {
            Volatile.Write(ref _reading, key);
            BeforeRead?.Invoke(key);
        }, parallelism);
        if (acceptShrink is not null)
        {
            foreach (var report in result.Reports.Where(r => r.Reloaded && r.Error is null && acceptShrink(r.Key))) Log.ShrinkAccepted(logger, report.Key);
        }
        foreach (var fold in result.Folded) Log.JournalFolded(logger, fold.DatasetKey, fold.Dropped, fold.Left);
        foreach (var report in result.Reports.Where(r => r.Reloaded))
        {
            foreach (var warning in report.Warnings.Take(LoggedWarnings)) Log.LoadWarning(logger, warning.ToString());
            if (report.WarningCount > LoggedWarnings) Log.WarningsSuppressed(logger, report.Key, report.WarningCount - LoggedWarnings);
            var dataset = result.ZoneSet.Datasets[report.Key];
            if (report.Error is { } error)
            {
                Log.DatasetFailed(logger, report.Key, dataset.Dataset is null ? "no data to serve" : "keeping the previous data", error.ToString());
            }
            else
            {
                Log.DatasetLoaded(logger, report.Key, report.Elapsed.TotalSeconds, dataset.Dataset?.EntryCount ?? 0, report.WarningCount);
            }
        }
        foreach (var zone in result.ZoneSet.Zones.Where(z => !z.IsLoaded)) Log.ZoneNotServed(logger, zone.Name);
        int reloaded = result.Reports.Count(r => r.Reloaded);
        if (reloaded > 0)
        {
            Log.Reloaded(logger, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, reloaded, result.Reports.Count(r => r.Error is not null));
        }
        LastResult = result;
        LastLoadAt = options.Now();
        return result;
    }
}
