namespace DnsblServer.Hosting.Configuration;

/// <summary><c>Dnsbl:ProxyProtocol</c>: the PROXY protocol v2 from a load balancer such as dnsdist (<c>useProxyProtocol=true</c>).</summary>
public sealed class ProxyProtocolOptions : IOptionsSection
{
    /// <summary>
    /// Prefixes (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>; a bare address is one host) of the proxies whose
    /// PROXY v2 header names the client. A query from them without a valid header is dropped, as is a
    /// header from anyone else.
    /// </summary>
    /// <remarks>Defaults to empty: no PROXY protocol. (Kept empty because the binder appends to lists.)</remarks>
    public List<string> TrustedProxies { get; set; } = [];
}
