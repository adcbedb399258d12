using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.RateLimiting.Internal;

/// <summary>
/// The exempt prefixes as masked integers, for a check without allocation. A linear scan: the list
/// is a handful of monitoring hosts and resolvers, and it is read only for an answer about to be limited.
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
            network.BaseAddress.TryWriteBytes(bytes, out int written);
            if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                uint mask = Mask32(network.PrefixLength);
                v4.Add((BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask));
            }
            else if (written == 16)
            {
                UInt128 mask = Mask128(network.PrefixLength);
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
        if (ClientPrefix.TryGetIpv4(address, out uint v4))
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
}
