using System.Net;

namespace DnsblServer.Serving.RateLimiting;

/// <summary>
/// Settings of the <see cref="ResponseRateLimiter"/> (Hosting binds them from <c>Dnsbl:RateLimit</c>).
/// Checked by <see cref="Validate"/>; the limiter is built only when <see cref="ResponsesPerSecond"/> is above 0.
/// </summary>
public sealed record RateLimiterOptions
{
    /// <summary>The default number of buckets: 2^20 (8 MiB), about NSD's default <c>rrl-size: 1000000</c>.</summary>
    public const int DefaultTableSize = 1 << 20;

    /// <summary>The largest table accepted: 2^26 buckets (512 MiB).</summary>
    public const int MaxTableSize = 1 << 26;

    /// <summary>Answers per second allowed for one key (client prefix, question, response class); 0 = the limiter is off.</summary>
    /// <remarks>Defaults to 0 (off).</remarks>
    public int ResponsesPerSecond { get; init; }

    /// <summary>Every Nth limited answer is sent as a slip (TC=1, no records; BADCOOKIE for a client with a stale cookie); 0 = drop them all, 1 = slip them all.</summary>
    /// <remarks>Defaults to 2, as BIND and NSD.</remarks>
    public int Slip { get; init; } = 2;

    /// <summary>IPv4 clients are grouped by this prefix length (1–32).</summary>
    /// <remarks>Defaults to 24.</remarks>
    public int Ipv4PrefixLength { get; init; } = 24;

    /// <summary>IPv6 clients are grouped by this prefix length (1–128).</summary>
    /// <remarks>Defaults to 56.</remarks>
    public int Ipv6PrefixLength { get; init; } = 56;

    /// <summary>Buckets in the table, rounded up to a power of two (1–2^26); 8 bytes each, allocated once at start.</summary>
    /// <remarks>Defaults to <see cref="DefaultTableSize"/>.</remarks>
    public int TableSize { get; init; } = DefaultTableSize;

    /// <summary>Clients never limited (a monitoring host, one's own mail servers' resolvers).</summary>
    /// <remarks>Defaults to none.</remarks>
    public IReadOnlyList<IPNetwork> Exempt { get; init; } = [];

    /// <summary>Count what would be limited and slipped, but send every answer unchanged.</summary>
    /// <remarks>Defaults to false.</remarks>
    public bool DryRun { get; init; }

    /// <summary>Whether a limiter is to be built at all.</summary>
    public bool Enabled => ResponsesPerSecond > 0;

    /// <summary>Why these settings cannot be used, one message per problem, each naming its key under <paramref name="prefix"/>; empty when they can.</summary>
    public IEnumerable<string> Validate(string prefix = "RateLimit")
    {
        if (ResponsesPerSecond < 0) yield return $"{prefix}:ResponsesPerSecond {ResponsesPerSecond}: must be 0 (off) or more";
        if (ResponsesPerSecond > Internal.RateTable.MaxCount) yield return $"{prefix}:ResponsesPerSecond {ResponsesPerSecond}: must be at most {Internal.RateTable.MaxCount}";
        if (Slip < 0) yield return $"{prefix}:Slip {Slip}: must be 0 (drop every limited answer) or more";
        if (Ipv4PrefixLength is < 1 or > 32) yield return $"{prefix}:Ipv4PrefixLength {Ipv4PrefixLength}: must be 1-32";
        if (Ipv6PrefixLength is < 1 or > 128) yield return $"{prefix}:Ipv6PrefixLength {Ipv6PrefixLength}: must be 1-128";
        if (TableSize is < 1 or > MaxTableSize) yield return $"{prefix}:TableSize {TableSize}: must be 1-{MaxTableSize}";
    }
}
