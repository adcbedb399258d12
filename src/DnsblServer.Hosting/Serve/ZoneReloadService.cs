using DnsblServer.Serving.Resolving;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Keeps the served data current: every check interval (rbldnsd -c) and on SIGHUP it reloads the
/// datasets whose files changed, building the new zone set beside the old one and publishing it
/// with one reference swap. Queries keep being answered from the old data while this runs.
/// </summary>
internal sealed class ZoneReloadService(ZoneLoading loading, QueryProcessor processor, TimeSpan interval, ILogger<ZoneReloadService> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>How often a running check is looked at for a stall.</summary>
    private static readonly TimeSpan StallPoll = TimeSpan.FromSeconds(1);

    /// <summary>Asks for a reload check now (SIGHUP, admin API).</summary>
    public void RequestReload() => _wake.Release();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = interval > TimeSpan.Zero ? interval : Timeout.InfiniteTimeSpan;
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // the load is CPU work: keep it off the host's threads. A read that hangs (NFS, FUSE) must
            // not hold up shutdown nor later checks: once the load is stalled (past Dnsbl:LoadTimeout)
            // stop waiting for it; the stuck thread keeps the load gate and ends with the process.
            try
            {
                var check = Task.Run(CheckOnce, CancellationToken.None);
                while (!check.IsCompleted && loading.Stalled() is null)
                {
                    await Task.WhenAny(check, Task.Delay(StallPoll, stoppingToken)).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One check: reload what changed, republish when a zone expired.</summary>
    public void CheckOnce()
    {
        try
        {
            if (ZoneSetLoader.NeedsReload(processor.Zones, loading.Options))
            {
                loading.Reload(processor);
            }
            else if (processor.NextExpiry != 0 && processor.NextExpiry <= DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            {
                RepublishExpired();
            }
        }
        catch (LoadStalledException)
        {
            // logged once by ZoneLoading.Stalled; this check is skipped, the next one tries again
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ReloadCrashed(logger, e.Message, e);
        }
    }

    private void RepublishExpired()
    {
        loading.Republish(processor); // the snapshot marks the expired zones SERVFAIL
        foreach (var zone in processor.Zones.Zones.Where(z => z.Expires != 0 && z.Expires <= DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
        {
            Log.ZoneExpired(logger, zone.Name);
        }
    }
}
