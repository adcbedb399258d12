namespace DnsblServer.Wire;

/// <summary>
/// RR class codes (RFC 1035 §3.2.4) that change how rbldnsd answers.
/// </summary>
public static class DnsClass
{
    /// <summary>Internet: the only class that gets AA.</summary>
    public const ushort IN = 1;

    /// <summary>CHAOS: only <c>version.bind</c>/<c>version.server</c> TXT are answered.</summary>
    public const ushort CH = 3;

    /// <summary>Hesiod.</summary>
    public const ushort HS = 4;

    /// <summary>Any class (QCLASS only): answered like IN but without AA.</summary>
    public const ushort ANY = 255;
}
