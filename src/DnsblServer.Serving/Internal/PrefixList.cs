using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.Internal;

/// <summary>
/// Address prefixes as masked integers, for a check without allocation: the rate limiter's exempt
/// list and the trusted PROXY-protocol peers. A linear scan: such lists are a handful of entries.
/// An IPv4 address arriving as IPv4-mapped IPv6 (a dual-stack socket) matches IPv4 prefixes, and a
/// prefix written as IPv4-mapped (<c>::ffff:10.0.0.0/104</c>) is the IPv4 prefix it maps.
/// </summary>
internal sealed class PrefixList
{
    private readonly (uint Address, uint Mask)[] _v4;
    private readonly (UInt128 Address, UInt128 Mask)[] _v6;

    /// <summary>Builds the list from <paramref name="networks"/>.</summary>
    public PrefixList(IEnumerable<IPNetwork> networks)
    {
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        Span<byte> bytes = stackalloc byte[16];
        foreach (var network in networks)
        {
            var address = network.BaseAddress;
            int bits = network.PrefixLength;
            if (address.IsIPv4MappedToIPv6 && bits >= 96)
            {
                address = address.MapToIPv4();
                bits -= 96;
            }
            address.TryWriteBytes(bytes, out int written);
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                uint mask = Mask32(bits);
                v4.Add((BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask));
            }
            else if (written == 16)
            {
                UInt128 mask = Mask128(bits);
                v6.Add((BinaryPrimitives.ReadUInt128BigEndian(bytes) & mask, mask));
            }
        }
        _v4 = [.. v4];
        _v6 = [.. v6];
    }

    /// <summary>True when the list is empty.</summary>
    public bool IsEmpty => _v4.Length == 0 && _v6.Length == 0;

    /// <summary>Whether <paramref name="address"/> (4 or 16 bytes, network order; IPv4-mapped IPv6 counts as IPv4) is in a listed prefix.</summary>
    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (TryGetIpv4(address, out uint v4))
        {
            foreach (var (network, mask) in _v4)
            {
                if ((v4 & mask) == network) return true;
            }
            return false;
        }
        if (address.Length != 16) return false;
        UInt128 v6 = BinaryPrimitives.ReadUInt128BigEndian(address);
        foreach (var (network, mask) in _v6)
        {
            if ((v6 & mask) == network) return true;
        }
        return false;
    }

    /// <summary>The top <paramref name="bits"/> bits set (0–32).</summary>
    public static uint Mask32(int bits) => bits <= 0 ? 0 : uint.MaxValue << (32 - Math.Min(bits, 32));

    /// <summary>The top <paramref name="bits"/> bits set (0–128).</summary>
    public static UInt128 Mask128(int bits) => bits <= 0 ? UInt128.Zero : UInt128.MaxValue << (128 - Math.Min(bits, 128));

    /// <summary>The IPv4 address of a 4-byte address or of an IPv4-mapped IPv6 one (<c>::ffff:a.b.c.d</c>, from a dual-stack socket).</summary>
    public static bool TryGetIpv4(ReadOnlySpan<byte> address, out uint v4)
    {
        if (address.Length == 4)
        {
            v4 = BinaryPrimitives.ReadUInt32BigEndian(address);
            return true;
        }
        if (address.Length == 16 && BinaryPrimitives.ReadUInt64LittleEndian(address) == 0
            && BinaryPrimitives.ReadUInt32BigEndian(address[8..]) == 0x0000FFFF)
        {
            v4 = BinaryPrimitives.ReadUInt32BigEndian(address[12..]);
            return true;
        }
        v4 = 0;
        return false;
    }
}
