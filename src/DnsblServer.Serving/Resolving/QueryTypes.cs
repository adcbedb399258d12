using DnsblServer.Wire;

namespace DnsblServer.Serving.Resolving;

/// <summary>Which record types a query asks for (rbldnsd's NSQUERY_* flags); ANY asks for all.</summary>
[Flags]
internal enum QueryTypes
{
    None = 0,
    A = 1,
    Txt = 2,
    Ns = 4,
    Soa = 8,
    Mx = 16,
    Other = 32,
    Any = A | Txt | Ns | Soa | Mx | Other,
}

internal static class QueryTypesExtensions
{
    /// <summary>The flags for a QTYPE; None for the meta types rbldnsd answers NOTIMP (250-254 and above 255).</summary>
    public static QueryTypes FromQType(ushort qtype) => qtype switch
    {
        DnsType.ANY => QueryTypes.Any,
        DnsType.A => QueryTypes.A,
        DnsType.TXT => QueryTypes.Txt,
        DnsType.NS => QueryTypes.Ns,
        DnsType.SOA => QueryTypes.Soa,
        DnsType.MX => QueryTypes.Mx,
        >= DnsType.TSIG => QueryTypes.None,
        _ => QueryTypes.Other,
    };
}
