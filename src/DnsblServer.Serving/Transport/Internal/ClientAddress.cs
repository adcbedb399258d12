using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// Reads the peer address out of a raw sockaddr without building an <see cref="IPEndPoint"/>,
/// so the UDP loop stays allocation-free. Offsets are those of POSIX <c>sockaddr_in</c> and
/// <c>sockaddr_in6</c>, which .NET's <see cref="SocketAddress"/> buffer holds on every platform.
/// </summary>
internal static class ClientAddress
{
    private const int IPv4Offset = 4;   // sockaddr_in: family(2) port(2) addr(4)
    private const int IPv6Offset = 8;   // sockaddr_in6: family(2) port(2) flowinfo(4) addr(16) scope(4)

    /// <summary>
    /// The address bytes in network order: 4 for IPv4, 16 for IPv6 (an IPv4 client of a dual-stack
    /// socket stays ::ffff:a.b.c.d, as rbldnsd sees it: its ACLs and query log keep the mapped form),
    /// empty when <paramref name="family"/> is neither or the buffer is short.
    /// </summary>
    public static ReadOnlySpan<byte> From(SocketAddress address, AddressFamily family)
    {
        ReadOnlySpan<byte> raw = address.Buffer.Span[..address.Size];
        if (family == AddressFamily.InterNetwork)
            return raw.Length >= IPv4Offset + 4 ? raw.Slice(IPv4Offset, 4) : default;
        if (family == AddressFamily.InterNetworkV6 && raw.Length >= IPv6Offset + 16)
            return raw.Slice(IPv6Offset, 16);
        return default;
    }

    /// <summary>The address bytes of a raw Linux sockaddr (family in the first two bytes, little-endian).</summary>
    public static ReadOnlySpan<byte> FromSockaddr(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < 2) return default;
        int family = raw[0] | (raw[1] << 8);
        if (family == LinuxAfInet) return raw.Length >= IPv4Offset + 4 ? raw.Slice(IPv4Offset, 4) : default;
        if (family == LinuxAfInet6 && raw.Length >= IPv6Offset + 16) return raw.Slice(IPv6Offset, 16);
        return default;
    }

    private const int LinuxAfInet = 2;
    private const int LinuxAfInet6 = 10;

    /// <summary>The address bytes of <paramref name="endpoint"/>, written into <paramref name="destination"/> (16 bytes).</summary>
    public static int Write(EndPoint? endpoint, Span<byte> destination)
    {
        if (endpoint is not IPEndPoint ip)
            return 0;
        Span<byte> bytes = stackalloc byte[16];
        if (!ip.Address.TryWriteBytes(bytes, out int written))
            return 0;
        bytes[..written].CopyTo(destination);
        return written;
    }
}
