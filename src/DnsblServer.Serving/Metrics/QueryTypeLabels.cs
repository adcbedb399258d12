using DnsblServer.Wire;

namespace DnsblServer.Serving.Metrics;

/// <summary>The <c>qtype</c> label values: the types a DNSBL is asked for by name, the rest as OTHER.</summary>
public static class QueryTypeLabels
{
    /// <summary>Slot 0 is "" (no readable question: a dropped packet).</summary>
    public static IReadOnlyList<string> Labels { get; } = ["", "A", "AAAA", "TXT", "MX", "NS", "SOA", "PTR", "CNAME", "ANY", "OTHER"];

    /// <summary>Number of slots.</summary>
    public const int Count = 11;

    /// <summary>The slot of a QTYPE (never 0: that is for "no question").</summary>
    public static int Slot(ushort qtype) => qtype switch
    {
        DnsType.A => 1,
        DnsType.AAAA => 2,
        DnsType.TXT => 3,
        DnsType.MX => 4,
        DnsType.NS => 5,
        DnsType.SOA => 6,
        DnsType.PTR => 7,
        DnsType.CNAME => 8,
        DnsType.ANY => 9,
        _ => 10,
    };
}
