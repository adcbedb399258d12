namespace DnsblServer.Wire;

/// <summary>
/// The query's OPT RR as RFC 6891 reads it: found anywhere in ADDITIONAL, after skipping ANSWER and AUTHORITY.
/// </summary>
/// <remarks>This drives our own EDNS behaviour; rbldnsd's narrower rule is in <see cref="RbldnsdEdns"/>.</remarks>
public readonly struct EdnsInfo
{
    internal EdnsInfo(int optOffset, ushort udpPayloadSize, byte extendedRcode, byte version, ushort flags, int cookieOffset = 0, int cookieLength = 0)
    {
        CookieOffset = cookieOffset;
        CookieLength = cookieLength;
        OptOffset = optOffset;
        UdpPayloadSize = udpPayloadSize;
        ExtendedRcode = extendedRcode;
        Version = version;
        Flags = flags;
    }

    /// <summary>True when the query carried an OPT RR.</summary>
    public bool Present => OptOffset != 0;

    /// <summary>Offset of the OPT RR's owner byte in the query packet; 0 when absent.</summary>
    public int OptOffset { get; }

    /// <summary>Requestor's UDP payload size, raw (the OPT CLASS field; may be below 512).</summary>
    public ushort UdpPayloadSize { get; }

    /// <summary>
    /// <see cref="UdpPayloadSize"/> with RFC 6891 §6.2.5 applied: values below 512 count as 512; 512 without EDNS.
    /// </summary>
    public int EffectivePayloadSize => Present && UdpPayloadSize > 512 ? UdpPayloadSize : 512;

    /// <summary>Upper 8 bits of the extended RCODE as sent (should be 0 in a query).</summary>
    public byte ExtendedRcode { get; }

    /// <summary>EDNS version; anything but 0 deserves BADVERS.</summary>
    public byte Version { get; }

    /// <summary>The 16 flag bits of the OPT TTL (DO is the top bit).</summary>
    public ushort Flags { get; }

    /// <summary>
    /// Offset in the query packet of the first DNS COOKIE option's data (RFC 7873 §4: client cookie, then any server
    /// cookie); 0 when the OPT RR has no COOKIE option. Only the position is kept: nothing is copied.
    /// </summary>
    public int CookieOffset { get; }

    /// <summary>Length of that option's data as sent (OPTION-LENGTH), unchecked: judging it is the cookie layer's job.</summary>
    public int CookieLength { get; }

    /// <summary>True when the OPT RR carried a COOKIE option (of any length, 0 included).</summary>
    public bool HasCookie => CookieOffset != 0;

    /// <summary>The COOKIE option's data inside <paramref name="packet"/> (the query this was read from); empty without one.</summary>
    public ReadOnlySpan<byte> Cookie(ReadOnlySpan<byte> packet) => HasCookie ? packet.Slice(CookieOffset, CookieLength) : default;

    /// <summary>The DNSSEC OK bit (RFC 3225). We sign nothing, so it only matters for logging.</summary>
    public bool DnssecOk => (Flags & 0x8000) != 0;
}
