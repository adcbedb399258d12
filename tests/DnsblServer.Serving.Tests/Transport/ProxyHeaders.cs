using System.Buffers.Binary;
using System.Net;
using DnsblServer.Serving.Transport.Proxy;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>Builds PROXY v2 headers for the tests, byte by byte from the specification (section 2.2).</summary>
internal static class ProxyHeaders
{
    /// <summary>A PROXY header for <paramref name="source"/> (IPv4 or IPv6), DGRAM unless told, with optional TLV bytes.</summary>
    public static byte[] Proxy(string source, int transport = 2, byte[]? tlvs = null, string? destination = null)
    {
        IPAddress src = IPAddress.Parse(source);
        bool v6 = src.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        IPAddress dst = IPAddress.Parse(destination ?? (v6 ? "2001:db8::53" : "192.0.2.53"));
        var block = new List<byte>();
        block.AddRange(src.GetAddressBytes());
        block.AddRange(dst.GetAddressBytes());
        block.AddRange([0xC3, 0x50, 0x00, 0x35]);   // ports 50000 and 53
        block.AddRange(tlvs ?? []);
        return Raw(0x21, (byte)((v6 ? 0x20 : 0x10) | transport), [.. block]);
    }

    /// <summary>A LOCAL header (as dnsdist's health checks send), family UNSPEC, no addresses.</summary>
    public static byte[] Local() => Raw(0x20, 0x00, []);

    /// <summary>Signature, the version/command and family/transport bytes given, the length of <paramref name="block"/>, the block.</summary>
    public static byte[] Raw(byte versionCommand, byte familyTransport, byte[] block)
    {
        var header = new byte[ProxyHeader.FixedBytes + block.Length];
        ProxyHeader.Signature.CopyTo(header);
        header[12] = versionCommand;
        header[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)block.Length);
        block.CopyTo(header, ProxyHeader.FixedBytes);
        return header;
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
