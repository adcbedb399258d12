namespace DnsblServer.Wire;

/// <summary>
/// A parsed query: header fields, the question's position and EDNS details. Filled in by <see cref="QueryReader.Read"/>.
/// </summary>
/// <remarks>
/// A plain struct without references, so the serving layer can keep it on the stack. The lowercased name and the label
/// offsets live in the spans the caller gave to the reader; this struct only records their lengths.
/// </remarks>
public struct DnsQuery
{
    /// <summary>Offset of the question name in every DNS message (right after the 12-byte header).</summary>
    public const int NameOffset = 12;

    /// <summary>The DNS header size.</summary>
    public const int HeaderSize = 12;

    /// <summary>Longest wire-format name (RFC 1035 §2.3.4), and the smallest name buffer the reader accepts.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Size of the label-offset buffer the reader needs (a 255-byte name has at most 127 labels).</summary>
    public const int MaxLabels = 128;

    /// <summary>Message ID, copied into the reply.</summary>
    public ushort Id { get; internal set; }

    /// <summary>Header byte 2: QR, OPCODE, AA, TC, RD.</summary>
    public byte Flags1 { get; internal set; }

    /// <summary>Header byte 3: RA, Z, AD, CD, RCODE as the client sent them.</summary>
    public byte Flags2 { get; internal set; }

    /// <summary>The 4-bit OPCODE (0 = QUERY).</summary>
    public readonly int Opcode => (Flags1 >> 3) & 0x0F;

    /// <summary>RD bit; copied into normal replies.</summary>
    public readonly bool RecursionDesired => (Flags1 & 0x01) != 0;

    /// <summary>AA bit set in the query (rbldnsd answers NOTIMP).</summary>
    public readonly bool AuthoritativeBit => (Flags1 & 0x04) != 0;

    /// <summary>TC bit set in the query (rbldnsd answers NOTIMP).</summary>
    public readonly bool TruncatedBit => (Flags1 & 0x02) != 0;

    /// <summary>
    /// rbldnsd's first guard in <c>replypacket</c>: OPCODE ≠ 0, AA or TC set → NOTIMP with flags byte = QR only.
    /// </summary>
    public readonly bool HasUnsupportedHeader => (Flags1 & 0x7E) != 0;

    /// <summary>QTYPE.</summary>
    public ushort QType { get; internal set; }

    /// <summary>QCLASS.</summary>
    public ushort QClass { get; internal set; }

    /// <summary>Length of the question name in wire format, including the terminating zero (1 for the root).</summary>
    public int NameLength { get; internal set; }

    /// <summary>Number of labels in the question name (0 for the root).</summary>
    public int LabelCount { get; internal set; }

    /// <summary>Offset of the question section in the packet (always <see cref="HeaderSize"/>).</summary>
    public readonly int QuestionOffset => HeaderSize;

    /// <summary>Length of the question section: name + QTYPE + QCLASS.</summary>
    public readonly int QuestionLength => NameLength + 4;

    /// <summary>Offset just past the question: where a reply's ANSWER section starts.</summary>
    public readonly int QuestionEnd => HeaderSize + NameLength + 4;

    /// <summary>Total length of the request as received.</summary>
    public int MessageLength { get; internal set; }

    /// <summary>EDNS as rbldnsd would honour it.</summary>
    public RbldnsdEdns RbldnsdEdns { get; internal set; }

    /// <summary>EDNS as RFC 6891 reads it (OPT anywhere in ADDITIONAL).</summary>
    public EdnsInfo Edns { get; internal set; }

    /// <summary>
    /// Offset in the packet of the suffix made of the last <paramref name="suffixLabels"/> labels of the question name,
    /// e.g. the zone apex. Owner names and name compression point there, so the reply echoes the client's case.
    /// </summary>
    /// <param name="labelOffsets">The label offsets the reader wrote.</param>
    /// <param name="suffixLabels">Label count of the suffix (the zone); 0 means the root.</param>
    /// <returns>An offset between <see cref="NameOffset"/> and the name's terminating zero.</returns>
    public readonly int GetSuffixOffset(ReadOnlySpan<byte> labelOffsets, int suffixLabels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(suffixLabels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(suffixLabels, LabelCount);
        return suffixLabels == 0
            ? NameOffset + NameLength - 1
            : NameOffset + labelOffsets[LabelCount - suffixLabels];
    }
}
