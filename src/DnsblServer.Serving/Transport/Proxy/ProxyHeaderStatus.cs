namespace DnsblServer.Serving.Transport.Proxy;

/// <summary>What <see cref="ProxyHeader.Read"/> found at the start of a datagram or a connection.</summary>
public enum ProxyHeaderStatus : byte
{
    /// <summary>A PROXY command for an IPv4 or IPv6 client: <see cref="ProxyHeader.Source"/> is the client.</summary>
    Proxy,

    /// <summary>A LOCAL command (the proxy speaking for itself, e.g. dnsdist's health checks): the peer is the client.</summary>
    Local,

    /// <summary>So far a valid start, but more bytes are needed (TCP only; a datagram is whole).</summary>
    Incomplete,

    /// <summary>Not a PROXY v2 header, or one this server does not accept (see the README's table); dropped.</summary>
    Invalid,
}
