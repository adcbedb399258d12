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

    private readonly byte[][] _prefixes;
    private readonly int[] _bits;

    private ProxyTrust(IReadOnlyList<IPNetwork> networks)
    {
        _prefixes = new byte[networks.Count][];
        _bits = new int[networks.Count];
        for (int i = 0; i < networks.Count; i++)
        {
            IPAddress address = networks[i].BaseAddress;
            int bits = networks[i].PrefixLength;
            // An IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) is the IPv4 prefix it maps.
            if (address.IsIPv4MappedToIPv6 && bits >= 96)
            {
                address = address.MapToIPv4();
                bits -= 96;
            }
            _prefixes[i] = address.GetAddressBytes();
            _bits[i] = bits;
        }
    }

    /// <summary>Whether any proxy is trusted: when not, the loops skip every PROXY check.</summary>
    public bool Enabled => _prefixes.Length > 0;

    /// <summary>The trust for <paramref name="networks"/>; one shared empty instance when there are none.</summary>
    public static ProxyTrust From(IReadOnlyList<IPNetwork>? networks) => networks is null || networks.Count == 0 ? None : new ProxyTrust(networks);

    /// <summary>
    /// Whether <paramref name="peer"/> (4 bytes, or 16; an IPv4-mapped IPv6 peer of a dual-stack socket
    /// counts as its IPv4 address) lies in a trusted prefix.
    /// </summary>
    public bool Contains(ReadOnlySpan<byte> peer)
    {
        if (peer.Length == 16 && IsV4Mapped(peer)) peer = peer[12..];
        byte[][] prefixes = _prefixes;
        for (int i = 0; i < prefixes.Length; i++)
        {
            if (prefixes[i].Length == peer.Length && Matches(prefixes[i], _bits[i], peer)) return true;
        }
        return false;
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> address) =>
        address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF;

    private static bool Matches(ReadOnlySpan<byte> prefix, int bits, ReadOnlySpan<byte> address)
    {
        int whole = bits >> 3;
        if (!address[..whole].SequenceEqual(prefix[..whole])) return false;
        int rest = bits & 7;
        if (rest == 0) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (address[whole] & mask) == (prefix[whole] & mask);
    }

    /// <summary>One line naming a prefix that cannot be trusted (neither IPv4 nor IPv6), or null.</summary>
    internal static string? Check(IPNetwork network) =>
        network.BaseAddress.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? null : $"{network} is neither IPv4 nor IPv6";
}
