using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>The serving host's log events, with fixed ids (STYLE 12).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "listening on {Endpoint} (UDP{Tcp})")]
    public static partial void Listening(ILogger logger, string endpoint, string tcp);

    [LoggerMessage(2, LogLevel.Information, "DnsblServer started: {Zones} zone(s), {Loops} UDP loop(s) per address")]
    public static partial void Started(ILogger logger, int zones, int loops);

    [LoggerMessage(3, LogLevel.Information, "{Dataset}: loaded in {Seconds:F3}s: {Entries} entries, {Warnings} warning(s)")]
    public static partial void DatasetLoaded(ILogger logger, string dataset, double seconds, long entries, int warnings);

    [LoggerMessage(4, LogLevel.Warning, "{Diagnostic}")]
    public static partial void LoadWarning(ILogger logger, string diagnostic);

    [LoggerMessage(5, LogLevel.Warning, "{Dataset}: {Count} more warnings suppressed")]
    public static partial void WarningsSuppressed(ILogger logger, string dataset, int count);

    [LoggerMessage(6, LogLevel.Error, "{Dataset}: load failed, {Keeping}: {Diagnostic}")]
    public static partial void DatasetFailed(ILogger logger, string dataset, string keeping, string diagnostic);

    [LoggerMessage(7, LogLevel.Information, "zones reloaded in {Seconds:F3}s: {Reloaded} dataset(s) read, {Failed} failed")]
    public static partial void Reloaded(ILogger logger, double seconds, int reloaded, int failed);

    [LoggerMessage(8, LogLevel.Error, "zone {Zone}: not all datasets are loaded, zone will answer SERVFAIL")]
    public static partial void ZoneNotServed(ILogger logger, string zone);

    [LoggerMessage(9, LogLevel.Error, "reload failed: {Message}")]
    public static partial void ReloadCrashed(ILogger logger, string message, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "zone {Zone}: data expired ($TIMESTAMP), zone will answer SERVFAIL")]
    public static partial void ZoneExpired(ILogger logger, string zone);

    // 206-208 were the admin API's (AdminLog) when the journals lived there; the ids stay
    [LoggerMessage(206, LogLevel.Warning, "journal: {Problem} (line skipped)")]
    public static partial void JournalLineSkipped(ILogger logger, string problem);

    [LoggerMessage(210, LogLevel.Warning, "journal: {Path}: {Count} more bad line(s) skipped, not shown")]
    public static partial void JournalLinesNotShown(ILogger logger, string path, int count);

    [LoggerMessage(211, LogLevel.Error, "journal: {Reason}; its pushed changes are not replayed and pushes to {Dataset} are refused until it is fixed")]
    public static partial void JournalUnusable(ILogger logger, string reason, string dataset);

    [LoggerMessage(207, LogLevel.Information, "{Dataset}: {Count} pushed change(s) replayed from {Path}")]
    public static partial void JournalReplayed(ILogger logger, string dataset, int count, string path);

    [LoggerMessage(208, LogLevel.Information, "{Dataset}: {Dropped} pushed change(s) now in the data, dropped from the journal ({Left} left)")]
    public static partial void JournalFolded(ILogger logger, string dataset, int dropped, int left);

    [LoggerMessage(40, LogLevel.Information, "rate limiting UDP answers: {Rate}/s per client /{V4} or /{V6} and question (errors: per prefix), slip {Slip}, {Exempt} exempt prefix(es), {Buckets} buckets{DryRun}")]
    public static partial void RateLimiting(ILogger logger, int rate, int v4, int v6, int slip, int exempt, int buckets, string dryRun);

    [LoggerMessage(30, LogLevel.Warning, "Dnsbl:Tcp:MaxConnections {Configured} lowered to {Cap}: the descriptor limit (ulimit -n) is {Limit}; cap = (limit - descriptors open at start - 128) / 2")]
    public static partial void TcpCapLowered(ILogger logger, int configured, int cap, long limit);

    [LoggerMessage(31, LogLevel.Warning, "{Line}")]
    public static partial void TcpWarning(ILogger logger, string line);

    [LoggerMessage(20, LogLevel.Information, "memory after the load: {Megabytes} MB managed heap, {Resident} MB resident, collected in {Milliseconds:F1} ms")]
    public static partial void MemoryReclaimed(ILogger logger, long megabytes, long resident, double milliseconds);

    [LoggerMessage(21, LogLevel.Error, "load stalled: reading {Dataset} for {Seconds:F0} s, past Dnsbl:LoadTimeout; later reloads and shutdown no longer wait for it (a hung NFS/FUSE read or a FIFO?)")]
    public static partial void LoadStalled(ILogger logger, string dataset, double seconds);

    [LoggerMessage(22, LogLevel.Warning, "{Dataset}: shrink accepted by the operator (POST /v1/reload?acceptShrink), loaded with the shrink guard off")]
    public static partial void ShrinkAccepted(ILogger logger, string dataset);

    [LoggerMessage(212, LogLevel.Error, "key usage not saved (tried again every interval, logged again once it saves): {Reason}")]
    public static partial void KeyUsageNotSaved(ILogger logger, string reason);

    [LoggerMessage(214, LogLevel.Information, "key usage saved again")]
    public static partial void KeyUsageSavedAgain(ILogger logger);

    [LoggerMessage(213, LogLevel.Warning, "{Problem}")]
    public static partial void KeyStateLineSkipped(ILogger logger, string problem);
    [LoggerMessage(41, LogLevel.Information, "DNS cookies: no Dnsbl:Cookies:Secret set, using a random secret until restart; replicas behind one address (a balancer, anycast) must share a secret or their server cookies fail at each other")]
    public static partial void RandomCookieSecret(ILogger logger);
}
