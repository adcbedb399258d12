using DnsblServer.Hosting.Serve;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Admin;

/// <summary>GET /v1/status and POST /v1/reload.</summary>
internal sealed partial class AdminApi
{
    private object Status()
    {
        ZoneSet set = processor.Zones;
        return new
        {
            zoneSetBuiltAt = set.LoadedAt,
            lastLoad = LastLoad(),
            stalledLoad = loading.Stalled() is { } stalled ? new { dataset = stalled.Dataset, since = stalled.Since, seconds = stalled.For.TotalSeconds } : null,
            zones = set.Zones.Select(z => new
            {
                name = z.Name,
                loaded = z.IsLoaded,
                serial = z.Serial,
                expires = z.Expires == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(z.Expires),
                datasets = z.Datasets.Select(d => d.Key),
                exempt = z.ExemptLists.Select(d => d.Key),
            }),
            datasets = set.Datasets.Values.Select(Describe),
        };
    }

    private object Describe(ZoneDataset d)
    {
        var journal = loading.Pushed?.Describe(d.Key);
        var info = d.Dataset?.Info;
        return new
        {
            key = d.Key,
            type = d.Type,
            files = d.Files,
            loaded = d.Dataset is not null,
            entries = d.Dataset?.EntryCount ?? 0,
            sizeBytes = d.Dataset?.SizeInBytes ?? 0,
            serial = info?.Soa is { } soa ? soa.Serial != 0 ? soa.Serial : (uint)info.Stamp : (uint?)null,
            stamp = info is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(info.Stamp),
            loadedAt = d.LoadedAt,
            lastAttemptAt = d.LastAttemptAt,
            lastDurationSeconds = d.LastDuration.TotalSeconds,
            lastError = Diagnostic(d.LastError),
            failureCount = d.FailureCount,
            refusedCount = d.RefusedCount,
            warningCount = d.WarningCount,
            journal = journal is { } j ? new { path = j.Path, changes = j.Changes, bytes = j.Bytes } : null,
        };
    }

    private object? LastLoad()
    {
        if (loading.LastResult is not { } result) return null;
        return new
        {
            at = loading.LastLoadAt,
            succeeded = result.Succeeded,
            datasetsRead = result.Reports.Count(r => r.Reloaded),
            failed = result.Reports.Count(r => r.Error is not null),
            reports = result.Reports.Where(r => r.Reloaded).Select(r => new
            {
                key = r.Key,
                error = Diagnostic(r.Error),
                warningCount = r.WarningCount,
                warnings = r.Warnings.Take(20).Select(w => w.ToString()),
                seconds = r.Elapsed.TotalSeconds,
            }),
        };
    }

    private static object? Diagnostic(LoadDiagnostic? d) =>
        d is null ? null : new { file = d.File, line = d.Line, message = d.Message, kind = d.Kind == LoadDiagnosticKind.ShrinkRefused ? "shrink-refused" : "failed", text = d.ToString() };

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
                return (400, new { error = $"acceptShrink: no dataset '{acceptShrink}' (use a key from /v1/status, e.g. ip4set:file, or all)" });
            }
            try
            {
                await Task.Run(() => loading.Reload(processor, acceptShrink: key => all || key == acceptShrink)).ConfigureAwait(false);
            }
            catch (LoadStalledException e)
            {
                return (503, new { error = e.Message, dataset = e.Dataset });
            }
        }
        if (loading.Stalled() is { } now) return Busy(now.Dataset, now.For);
        return (200, new { reloaded = true, lastLoad = LastLoad() });
    }

    private static (int, object) Busy(string dataset, TimeSpan stalledFor) =>
        (503, new { error = $"a load is still running (stalled {stalledFor.TotalSeconds:0} s)", dataset });
}
