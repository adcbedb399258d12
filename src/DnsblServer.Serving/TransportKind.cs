namespace DnsblServer.Serving;

/// <summary>How a query reached us; decides the size limit and whether TC may be set.</summary>
public enum TransportKind
{
    /// <summary>UDP: answers are limited to 512 bytes, or the EDNS payload size; TC=1 when records do not fit.</summary>
    Udp,
    /// <summary>TCP (RFC 7766): answers up to 65535 bytes, never truncated.</summary>
    Tcp,
}
