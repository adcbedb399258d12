using DnsblServer.Serving.Resolving;
using DnsblServer.Serving;
using DnsblServer.Serving.Transport;
using DnsblServer.Wire;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// A request packet through the query reader and the processor (every dataset type, an ACL, an exempt list), as
/// the UDP and TCP loops call it: bytes in, response bytes out. Bits 0-2 of the query id choose the transport and
/// the client address, so the seeds stay real queries. Checks: the answer fits the transport's limit and the
/// buffer, echoes the id with QR set, and is a well-formed message (<see cref="ResponseCheck"/>).
/// </summary>
internal sealed class QueryTarget : IFuzzTarget
{
    // the UDP loop's response buffer and the largest TCP message
    private const int UdpBuffer = 4096;
    private const int Canary = 64;

    private static readonly byte[][] Clients =
    [
        [], [127, 0, 0, 1], [192, 0, 2, 7], [0x20, 0x01, 0x0d, 0xb8, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],
    ];

    // cookies on, as served by default: a COOKIE option adds 28 bytes that must still fit the limits checked below
    private readonly QueryProcessor _processor = new(new ResolverOptions(), FuzzZones.Load()) { Cookies = new Serving.Cookies.ServerCookies(Serving.Cookies.CookieSecret.FromBytes(new byte[16])) };
    private readonly byte[] _response = new byte[TransportOptions.MaxTcpMessageBytes + Canary];

    public string Name => "query";

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        int id = bytes.Length >= 2 ? bytes[1] : 0;
        var transport = (id & 1) == 0 ? TransportKind.Udp : TransportKind.Tcp;
        int size = transport == TransportKind.Udp ? UdpBuffer : TransportOptions.MaxTcpMessageBytes;
        var response = _response.AsSpan(0, size + Canary);
        response[size..].Fill(0xA5);

        int length = _processor.Process(bytes, response[..size], transport, Clients[(id >> 1) & 3]);

        if (response[size..].ContainsAnyExcept((byte)0xA5)) throw new InvalidOperationException("wrote past the response buffer");
        if (length == 0) return;
        int limit = transport == TransportKind.Tcp ? TransportOptions.MaxTcpMessageBytes : UdpLimit(bytes);
        if (length < DnsQuery.HeaderSize || length > limit) throw new InvalidOperationException($"answer of {length} bytes, limit {limit}");
        if (response[0] != bytes[0] || response[1] != bytes[1]) throw new InvalidOperationException("id not echoed");
        if ((response[2] & 0x80) == 0) throw new InvalidOperationException("QR not set");
        ResponseCheck.WellFormed(response[..length]);
    }

    // 512 without EDNS; with it the client's size, clamped to 512..1232 (ResolverOptions.EdnsPayloadSize)
    private static int UdpLimit(ReadOnlySpan<byte> bytes)
    {
        Span<byte> name = stackalloc byte[DnsQuery.MaxNameLength];
        Span<byte> labels = stackalloc byte[DnsQuery.MaxLabels];
        QueryReader.Read(bytes, name, labels, out var q);
        return q.Edns.Present ? Math.Clamp((int)q.Edns.UdpPayloadSize, 512, new ResolverOptions().EdnsPayloadSize) : 512;
    }
}
