using DnsblServer.Hosting.Serve;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Admin;

/// <summary>GET /v1/status and POST /v1/reload.</summary>
internal sealed partial class AdminApi
{
    private StatusBody Status()
    {
        ZoneSet set = processor.Zones;
        return new StatusBody(
            ZoneSetBuiltAt: set.LoadedAt,
            LastLoad: LastLoad(),
            StalledLoad: loading.Stalled() is { } stalled ? new StalledBody(stalled.Dataset, stalled.Since, stalled.For.TotalSeconds) : null,
            Zones: set.Zones.Select(z => new ZoneBody(
                Name: z.Name,
                Loaded: z.IsLoaded,
                Serial: z.Serial,
                Expires: z.Expires == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(z.Expires),
                Datasets: z.Datasets.Select(d => d.Key),
                Exempt: z.ExemptLists.Select(d => d.Key))),
            Datasets: set.Datasets.Values.Select(Describe));
    }

    private DatasetBody Describe(ZoneDataset d)
    {
        var journal = loading.Pushed?.Describe(d.Key);
        var info = d.Dataset?.Info;
        return new DatasetBody(
            Key: d.Key,
            Type: d.Type,
            Files: d.Files,
            Loaded: d.Dataset is not null,
            Entries: d.Dataset?.EntryCount ?? 0,
            SizeBytes: d.Dataset?.SizeInBytes ?? 0,
            Serial: info?.Soa is { } soa ? soa.Serial != 0 ? soa.Serial : (uint)info.Stamp : null,
            Stamp: info is null ? null : DateTimeOffset.FromUnixTimeSeconds(info.Stamp),
            LoadedAt: d.LoadedAt,
            LastAttemptAt: d.LastAttemptAt,
            LastDurationSeconds: d.LastDuration.TotalSeconds,
            LastError: Diagnostic(d.LastError),
            FailureCount: d.FailureCount,
            RefusedCount: d.RefusedCount,
            WarningCount: d.WarningCount,
            Journal: journal is { } j ? new JournalBody(j.Path, j.Changes, j.Bytes) : null);
    }

    private LastLoadBody? LastLoad()
    {
        if (loading.LastResult is not { } result) return null;
        return new LastLoadBody(
            At: loading.LastLoadAt,
            Succeeded: result.Succeeded,
            DatasetsRead: result.Reports.Count(r => r.Reloaded),
            Failed: result.Reports.Count(r => r.Error is not null),
            Reports: result.Reports.Where(r => r.Reloaded).Select(r => new LoadReportBody(
                Key: r.Key,
                Error: Diagnostic(r.Error),
                WarningCount: r.WarningCount,
                Warnings: r.Warnings.Take(20).Select(w => w.ToString()),
                Seconds: r.Elapsed.TotalSeconds)));
    }

    private static DiagnosticBody? Diagnostic(LoadDiagnostic? d) =>
        d is null ? null : new DiagnosticBody(d.File, d.Line, d.Message, d.Kind == LoadDiagnosticKind.ShrinkRefused ? "shrink-refused" : "failed", d.ToString());

    /// <param name="acceptShrink">A dataset key, or <c>all</c>, to read once with the shrink guard off; null or empty for a plain reload.</param>
    private async Task<(int, object)> ReloadAsync(string? acceptShrink)
    {
        if (loading.Stalled() is { } stalled) return Busy(stalled.Dataset, stalled.For);
        if (string.IsNullOrEmpty(acceptShrink))
        {
            // the reload service's own check (reload what changed), run now; it publishes through the same gate
            await Task.Run(reloader.CheckOnce).ConfigureAwait(false);
        }
        else
        {
            bool all = acceptShrink == "all";
            if (!all && !processor.Zones.Datasets.ContainsKey(acceptShrink))
            {
                return (400, new ErrorBody($"acceptShrink: no dataset '{acceptShrink}' (use a key from /v1/status, e.g. ip4set:file, or all)"));
            }
            try
            {
                await Task.Run(() => loading.Reload(processor, acceptShrink: key => all || key == acceptShrink)).ConfigureAwait(false);
            }
            catch (LoadStalledException e)
            {
                return (503, new ErrorBody(e.Message, e.Dataset));
            }
        }
        if (loading.Stalled() is { } now) return Busy(now.Dataset, now.For);
        return (200, new ReloadBody(Reloaded: true, LastLoad()));
    }

    private static (int, object) Busy(string dataset, TimeSpan stalledFor) =>
        (503, new ErrorBody($"a load is still running (stalled {stalledFor.TotalSeconds:0} s)", dataset));
}
