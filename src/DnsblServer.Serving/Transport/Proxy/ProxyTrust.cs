using DnsblServer.Serving.Internal;
using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.Transport.Proxy;

/// <summary>
/// The proxies allowed to name the client (<see cref="TransportOptions.TrustedProxies"/>), matched against
/// a peer address as the loops hold it (4 or 16 bytes, network order) without building an <see cref="IPAddress"/>.
/// A linear scan: a deployment trusts a handful of prefixes (its dnsdist hosts), so a scan of 1-4 entries
/// costs less than any index. Built once at start; immutable after.
/// </summary>
internal sealed class ProxyTrust
{
    private static readonly ProxyTrust None = new([]);

    private readonly PrefixList _prefixes;

    private ProxyTrust(IReadOnlyList<IPNetwork> networks) => _prefixes = new PrefixList(networks);

    /// <summary>True when any proxy is trusted (the PROXY protocol is on).</summary>
    public bool Enabled => !_prefixes.IsEmpty;

    /// <summary>The trust for <paramref name="networks"/>; none (off) for null or empty.</summary>
    public static ProxyTrust From(IReadOnlyList<IPNetwork>? networks) => networks is null || networks.Count == 0 ? None : new ProxyTrust(networks);

    /// <summary>True when <paramref name="peer"/> (4 or 16 bytes; IPv4-mapped counts as IPv4) is a trusted proxy.</summary>
    public bool Contains(ReadOnlySpan<byte> peer) => _prefixes.Contains(peer);

    internal static string? Check(IPNetwork network) =>
        network.BaseAddress.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? null : $"{network} is neither IPv4 nor IPv6";
}
