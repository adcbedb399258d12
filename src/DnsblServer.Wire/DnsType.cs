namespace DnsblServer.Wire;

/// <summary>
/// RR type codes (RFC 1035 §3.2.2, RFC 3596, RFC 6891) that the server reads or writes.
/// </summary>
/// <remarks>Plain constants rather than an enum so they compare against the raw <c>ushort</c> QTYPE without casts.</remarks>
public static class DnsType
{
    /// <summary>IPv4 host address.</summary>
    public const ushort A = 1;

    /// <summary>Authoritative name server.</summary>
    public const ushort NS = 2;

    /// <summary>Canonical name.</summary>
    public const ushort CNAME = 5;

    /// <summary>Start of authority.</summary>
    public const ushort SOA = 6;

    /// <summary>Domain name pointer.</summary>
    public const ushort PTR = 12;

    /// <summary>Mail exchanger.</summary>
    public const ushort MX = 15;

    /// <summary>Text strings.</summary>
    public const ushort TXT = 16;

    /// <summary>IPv6 host address.</summary>
    public const ushort AAAA = 28;

    /// <summary>EDNS(0) pseudo-RR (RFC 6891).</summary>
    public const ushort OPT = 41;

    /// <summary>Transaction signature; rbldnsd answers every QTYPE from here up to ANY with NOTIMP.</summary>
    public const ushort TSIG = 250;

    /// <summary>Incremental zone transfer.</summary>
    public const ushort IXFR = 251;

    /// <summary>Full zone transfer.</summary>
    public const ushort AXFR = 252;

    /// <summary>Any type (QTYPE only).</summary>
    public const ushort ANY = 255;
}
