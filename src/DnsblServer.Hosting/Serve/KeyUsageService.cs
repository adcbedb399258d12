using DnsblServer.Serving.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Writes the usage counts of keyed zones (<see cref="KeyAccess.Save"/>) every <c>Dnsbl:Keys:SaveInterval</c>
/// (10 s by default) and once more at shutdown, so a restart carries on with the day's counts. A file that
/// cannot be written is logged and tried again at the next tick; the counting itself never waits for it.
/// </summary>
internal sealed class KeyUsageService(KeyAccess keys, TimeSpan interval, ILogger<KeyUsageService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Save();
        }
        catch (OperationCanceledException)
        {
            // stopping: StopAsync saves
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Save();
    }

    private bool _failing;

    // A full disk fails every save: one line when it starts and one when it is over, not one every interval.
    private void Save()
    {
        try
        {
            keys.Save();
            if (_failing) Log.KeyUsageSavedAgain(logger);
            _failing = false;
        }
        catch (IOException e)
        {
            if (!_failing) Log.KeyUsageNotSaved(logger, e.Message);
            _failing = true;
        }
    }
}
