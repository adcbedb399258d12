using System.Buffers.Binary;

namespace DnsblServer.Serving.Transport.Proxy;

/// <summary>
/// The PROXY protocol version 2 header (HAProxy's proxy-protocol.txt, section 2.2), as dnsdist sends it
/// with <c>useProxyProtocol=true</c>: before every UDP datagram, and once at the start of a TCP
/// connection. Read in place: the result is offsets into the bytes given, so nothing is allocated.
/// </summary>
/// <remarks>
/// What is accepted (written from the specification, not from another implementation):
/// <list type="bullet">
/// <item>version 2 only (the text v1 header is for HTTP proxies; dnsdist sends v2);</item>
/// <item>PROXY with AF_INET or AF_INET6 over UNSPEC, STREAM or DGRAM: the source address is the client.
/// The transport is not matched to the socket's: dnsdist forwards a DoH or DoT client's query with that
/// client's protocol;</item>
/// <item>LOCAL with any family: the proxy's own query (dnsdist's health checks), the peer stays the client;</item>
/// <item>TLVs are skipped unread, and so is anything else inside the declared length.</item>
/// </list>
/// Refused: any other version or command; PROXY with AF_UNSPEC or AF_UNIX, whose client cannot be named:
/// the specification lets a receiver use the peer's address instead, but the peer is the trusted proxy,
/// and answering as if the proxy had asked would let any client through the proxy past an ACL that
/// admits the proxy; a transport nibble above DGRAM; an address block shorter than the family needs;
/// a header longer than <see cref="MaxHeaderBytes"/>.
/// </remarks>
public readonly struct ProxyHeader
{
    /// <summary>The 12-byte signature every v2 header starts with: <c>\r\n\r\n\0\r\nQUIT\n</c>.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Signature, version and command, family and transport, and the 2-byte length.</summary>
    public const int FixedBytes = 16;

    /// <summary>
    /// Largest whole header accepted: 16 fixed bytes and 512 of addresses and TLVs. dnsdist sends 28
    /// (IPv4) or 52 (IPv6) bytes plus the TLVs it is told to add; 512 is dnsdist's own default cap
    /// for headers it receives, and keeps a TCP header inside the 4 KiB first read.
    /// </summary>
    public const int MaxHeaderBytes = FixedBytes + 512;

    private const int Version2 = 0x20;
    private const int CommandLocal = 0x0;
    private const int CommandProxy = 0x1;
    private const int FamilyInet = 0x1;
    private const int FamilyInet6 = 0x2;
    private const int TransportDgram = 0x2;
    private const int Inet4Block = 4 + 4 + 2 + 2;     // source, destination, source port, destination port
    private const int Inet6Block = 16 + 16 + 2 + 2;

    private ProxyHeader(ProxyHeaderStatus status, int length, int sourceOffset, int sourceLength)
    {
        Status = status;
        Length = length;
        SourceOffset = sourceOffset;
        SourceLength = sourceLength;
    }

    /// <summary>What was found.</summary>
    public ProxyHeaderStatus Status { get; }

    /// <summary>The whole header's length in bytes (the DNS message follows it); 0 unless <see cref="ProxyHeaderStatus.Proxy"/> or <see cref="ProxyHeaderStatus.Local"/>.</summary>
    public int Length { get; }

    /// <summary>Where the client's address starts in the bytes read (4 bytes for IPv4, 16 for IPv6).</summary>
    public int SourceOffset { get; }

    /// <summary>The client address's length: 4, 16, or 0 for <see cref="ProxyHeaderStatus.Local"/> and failures.</summary>
    public int SourceLength { get; }

    /// <summary>The client's address in <paramref name="bytes"/> (the span <see cref="Read"/> was given), empty for LOCAL.</summary>
    public ReadOnlySpan<byte> Source(ReadOnlySpan<byte> bytes) => bytes.Slice(SourceOffset, SourceLength);

    /// <summary>Whether <paramref name="bytes"/> starts with the v2 signature (12 bytes; false when shorter).</summary>
    public static bool StartsWithSignature(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    /// <summary>
    /// Reads a header at the start of <paramref name="bytes"/>. A datagram must hold it whole
    /// (<see cref="ProxyHeaderStatus.Incomplete"/> then means a cut header: drop it); a connection reads
    /// on while it gets <see cref="ProxyHeaderStatus.Incomplete"/>, up to <see cref="MaxHeaderBytes"/>.
    /// </summary>
    public static ProxyHeader Read(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> signature = Signature;
        int prefix = Math.Min(bytes.Length, signature.Length);
        if (!bytes[..prefix].SequenceEqual(signature[..prefix])) return Fail();
        if (bytes.Length < FixedBytes)
        {
            // Check what has come so far, so a wrong version byte fails without waiting for more.
            if (bytes.Length > 12 && (bytes[12] & 0xF0) != Version2) return Fail();
            return new ProxyHeader(ProxyHeaderStatus.Incomplete, 0, 0, 0);
        }

        int versionCommand = bytes[12];
        if ((versionCommand & 0xF0) != Version2) return Fail();
        int command = versionCommand & 0x0F;
        int family = bytes[13] >> 4;
        int transport = bytes[13] & 0x0F;
        int length = FixedBytes + BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]);
        if (length > MaxHeaderBytes || transport > TransportDgram) return Fail();

        if (command == CommandLocal)
        {
            // The family and addresses of a LOCAL header are to be ignored (section 2.2).
            return bytes.Length < length ? new ProxyHeader(ProxyHeaderStatus.Incomplete, 0, 0, 0) : new ProxyHeader(ProxyHeaderStatus.Local, length, 0, 0);
        }
        if (command != CommandProxy) return Fail();

        int block, address;
        switch (family)
        {
            case FamilyInet: block = Inet4Block; address = 4; break;
            case FamilyInet6: block = Inet6Block; address = 16; break;
            default: return Fail();   // UNSPEC or UNIX: no client address to use (see remarks)
        }
        if (length < FixedBytes + block) return Fail();
        if (bytes.Length < length) return new ProxyHeader(ProxyHeaderStatus.Incomplete, 0, 0, 0);
        return new ProxyHeader(ProxyHeaderStatus.Proxy, length, FixedBytes, address);
    }

    private static ProxyHeader Fail() => new(ProxyHeaderStatus.Invalid, 0, 0, 0);
}
