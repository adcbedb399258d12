using System.Net;
using DnsblServer.Serving.RateLimiting;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// <c>Dnsbl:RateLimit</c>: response rate limiting of UDP answers (rbldnsd has none). Off unless
/// <see cref="ResponsesPerSecond"/> is set; converted once into <see cref="RateLimiterOptions"/>.
/// </summary>
public sealed class RateLimitOptions : IOptionsSection
{
    /// <summary>Answers per second for one client prefix and question (errors: one client prefix); 0 = off.</summary>
    /// <remarks>Defaults to 0 (off): a private mirror beside one's own mail servers has nothing to limit.</remarks>
    public int ResponsesPerSecond { get; set; }

    /// <summary>Every Nth limited answer is sent as a slip (TC=1, no records: a real client retries over TCP); 0 = drop them all.</summary>
    /// <remarks>Defaults to 2.</remarks>
    public int Slip { get; set; } = 2;

    /// <summary>IPv4 clients are counted together per prefix of this length (1–32).</summary>
    /// <remarks>Defaults to 24.</remarks>
    public int Ipv4PrefixLength { get; set; } = 24;

    /// <summary>IPv6 clients are counted together per prefix of this length (1–128).</summary>
    /// <remarks>Defaults to 56.</remarks>
    public int Ipv6PrefixLength { get; set; } = 56;

    /// <summary>Buckets of the limiter's table (8 bytes each, allocated at start), rounded up to a power of two.</summary>
    /// <remarks>Defaults to 1048576 (8 MiB).</remarks>
    public int TableSize { get; set; } = RateLimiterOptions.DefaultTableSize;

    /// <summary>Client prefixes never limited, e.g. <c>192.0.2.0/24</c>, <c>2001:db8::/32</c>, or single addresses.</summary>
    /// <remarks>Defaults to none. (Kept empty because the binder appends to lists.)</remarks>
    public List<string> Exempt { get; set; } = [];

    /// <summary>Count what would be limited and slipped without changing any answer.</summary>
    /// <remarks>Defaults to false.</remarks>
    public bool DryRun { get; set; }

    /// <summary>Checks and converts; each problem goes to <paramref name="errors"/> naming its key.</summary>
    internal RateLimiterOptions ToSettings(List<string> errors)
    {
        const string Prefix = DnsblOptions.SectionName + ":RateLimit";
        var exempt = new List<IPNetwork>();
        for (int i = 0; i < Exempt.Count; i++)
        {
            string value = (Exempt[i] ?? "").Trim();
            if (DnsblOptions.TryParsePrefix(value, out IPNetwork network))
            {
                exempt.Add(network);
            }
            else
            {
                errors.Add($"{Prefix}:Exempt:{i} '{value}': not an address prefix (expected e.g. 192.0.2.0/24 or 2001:db8::/32, no host bits set)");
            }
        }
        var settings = new RateLimiterOptions
        {
            ResponsesPerSecond = ResponsesPerSecond,
            Slip = Slip,
            Ipv4PrefixLength = Ipv4PrefixLength,
            Ipv6PrefixLength = Ipv6PrefixLength,
            TableSize = TableSize,
            Exempt = [.. exempt],
            DryRun = DryRun,
        };
        errors.AddRange(settings.Validate(Prefix));
        return settings;
    }
}
