namespace DnsblServer.Serving.RateLimiting;

/// <summary>A point-in-time sum of the limiter's counters, for the metrics exporter.</summary>
/// <param name="Limited">Answers over the limit: dropped or slipped (in dry-run: that would have been).</param>
/// <param name="Slipped">Of those, the ones sent as a slip (TC=1 or BADCOOKIE) instead of being dropped.</param>
/// <param name="DryRun">True when nothing was changed: the counts say what the limiter would have done.</param>
public readonly record struct RateLimitCounters(long Limited, long Slipped, bool DryRun);
