using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Resolving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Metrics;

/// <summary>
/// rbldnsd's <c>-s [+]file</c>, line for line (rbldnsd.c <c>dumpstats</c>, <c>dumpstats_z</c>, <c>logstats</c>):
/// <list type="bullet">
/// <item>at start, and after a reset and at exit: a line holding only the Unix time;</item>
/// <item>every check interval (<c>-c</c>), on SIGUSR1, SIGUSR2 and at exit:
/// <c>time zone:tot:ok:nxd:in:out ... *:tot:ok:nxd:in:out</c>, one field per zone in zone order, then the
/// total, which also counts the queries outside every zone; with <c>+</c> each line holds the change since the previous line;</item>
/// <item>SIGUSR1 also logs the counters, SIGUSR2 logs them and resets them to 0.</item>
/// </list>
/// The file is opened for append and closed for each line, as rbldnsd does, so it can be rotated at any time.
/// The numbers come from the same per-thread counters as the metrics.
/// </summary>
internal sealed class StatsFile(string path, bool relative, QueryCounters counters, QueryProcessor processor, TimeSpan interval, ILogger<StatsFile> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private StatsRow[] _reset = [];     // the counters at the last SIGUSR2: rbldnsd zeroes them, we subtract
    private StatsRow[] _previous = [];  // what the last line showed, for '+' (relative) lines
    private long _since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Append($"{Now()}\n");
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero) return; // -c 0: no timer, as rbldnsd without recheck
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Dump();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            Dump();
            LogStats(reset: false);
            Append($"{Now()}\n");
        }
    }

    /// <summary>SIGUSR1: a line and the counters in the log.</summary>
    public void OnUsr1()
    {
        lock (_gate)
        {
            Dump();
            LogStats(reset: false);
        }
    }

    /// <summary>SIGUSR2: a line, the counters in the log, then the counters start again from 0.</summary>
    public void OnUsr2()
    {
        lock (_gate)
        {
            Dump();
            LogStats(reset: true);
            Append($"{Now()}\n");
        }
    }

    /// <summary>Writes one statistics line.</summary>
    public void Dump()
    {
        lock (_gate)
        {
            var zones = processor.Zones.Zones;
            var rows = Current(zones.Count);
            var line = new System.Text.StringBuilder().Append(Now());
            var total = rows[0] - At(_previous, 0);
            for (int i = 0; i < zones.Count; i++)
            {
                var shown = rows[i + 1] - At(_previous, i + 1);
                total += shown;
                line.Append(' ').Append(zones[i].Name).Append(shown.Format());
            }
            line.Append(" *").Append(total.Format()).Append('\n');
            if (relative) _previous = rows;
            Append(line.ToString());
        }
    }

    // the counters since the last reset, slot 0 = outside every zone
    private StatsRow[] Current(int zoneCount)
    {
        var snapshot = counters.Snapshot();
        var rows = new StatsRow[zoneCount + 1];
        for (int slot = 0; slot < rows.Length; slot++) rows[slot] = StatsRow.From(snapshot, slot) - At(_reset, slot);
        return rows;
    }

    private void LogStats(bool reset)
    {
        var zones = processor.Zones.Zones;
        var rows = Current(zones.Count);
        long now = Now();
        var total = rows[0];
        for (int i = 0; i < zones.Count; i++)
        {
            var r = rows[i + 1];
            total += r;
            Log.ZoneStats(logger, now - _since, zones[i].Name, r.Total, r.Ok, r.NxDomain, r.Error, r.In, r.Out);
        }
        Log.TotalStats(logger, now - _since, total.Total, total.Ok, total.NxDomain, total.Error, total.In, total.Out);
        if (!reset) return;
        _reset = [.. rows.Select((row, slot) => row + At(_reset, slot))];
        _previous = [];
        _since = now;
    }

    private static StatsRow At(StatsRow[] rows, int slot) => slot < rows.Length ? rows[slot] : default;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private void Append(string text)
    {
        try
        {
            File.AppendAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StatsFileFailed(logger, path, e.Message); // rbldnsd skips the line silently; we say why
        }
    }
}
