using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Metrics;

/// <summary>Log events of the metrics listener and the statistics file (IDs 100-119).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "metrics: listening on {Prefix} (/metrics, /healthz, /readyz)")]
    public static partial void MetricsListening(ILogger logger, string prefix);

    [LoggerMessage(101, LogLevel.Warning, "metrics: request {Path} failed: {Message}")]
    public static partial void MetricsRequestFailed(ILogger logger, string path, string message);

    [LoggerMessage(102, LogLevel.Warning, "stats file {Path}: {Message}")]
    public static partial void StatsFileFailed(ILogger logger, string path, string message);

    // rbldnsd's logstats() lines, word for word
    [LoggerMessage(103, LogLevel.Information, "stats for {Seconds}secs zone {Zone}: tot={Total} ok={Ok} nxd={NxDomain} err={Error} in={In} out={Out}")]
    public static partial void ZoneStats(ILogger logger, long seconds, string zone, long total, long ok, long nxDomain, long error, long @in, long @out);

    [LoggerMessage(104, LogLevel.Information, "stats for {Seconds}sec: tot={Total} ok={Ok} nxd={NxDomain} err={Error} in={In} out={Out}")]
    public static partial void TotalStats(ILogger logger, long seconds, long total, long ok, long nxDomain, long error, long @in, long @out);
}
