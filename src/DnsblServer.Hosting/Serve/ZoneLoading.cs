using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
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

    /// <summary>The load settings.</summary>
    public LoadOptions Options => options;

    /// <summary>Loads (or reloads against <paramref name="previous"/>) and logs the reports.</summary>
    public ZoneSetLoadResult Load(ZoneSet? previous, bool force = false)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = ZoneSetLoader.Load(specs, options, previous, force, exempt);
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
        return result;
    }
}
