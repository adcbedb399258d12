using DnsblServer.Serving.Internal;
using System.Buffers.Binary;

namespace DnsblServer.Serving.RateLimiting.Internal;

/// <summary>A client address reduced to its prefix (IPv4 /24, IPv6 /56 by default), as two words for the key hash.</summary>
internal readonly struct ClientPrefix
{
    private readonly uint _v4Mask;
    private readonly ulong _v6High;
    private readonly ulong _v6Low;

    /// <summary>Prefixes of <paramref name="ipv4Bits"/> and <paramref name="ipv6Bits"/> bits.</summary>
    public ClientPrefix(int ipv4Bits, int ipv6Bits)
    {
        _v4Mask = PrefixList.Mask32(ipv4Bits);
        UInt128 mask = PrefixList.Mask128(ipv6Bits);
        _v6High = (ulong)(mask >> 64);
        _v6Low = (ulong)mask;
    }

    /// <summary>Adds the prefix of <paramref name="address"/> to <paramref name="h"/>; an empty (unknown) address is one source of its own.</summary>
    public ulong Add(ulong h, ReadOnlySpan<byte> address)
    {
        if (PrefixList.TryGetIpv4(address, out uint v4)) return KeyHash.Add(h, (v4 & _v4Mask) | 4UL << 32);
        if (address.Length != 16) return KeyHash.Add(h, 0);
        h = KeyHash.Add(h, BinaryPrimitives.ReadUInt64BigEndian(address) & _v6High);
        return KeyHash.Add(h, (BinaryPrimitives.ReadUInt64BigEndian(address[8..]) & _v6Low) ^ 6);
    }
}
