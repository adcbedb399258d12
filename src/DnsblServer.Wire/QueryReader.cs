using System.Buffers.Binary;

namespace DnsblServer.Wire;

/// <summary>
/// Parses a request (UDP payload or TCP message without its length prefix) the way rbldnsd's <c>parsequery</c> decides,
/// plus an RFC 6891 pass over the RRs after the question. No allocation.
/// </summary>
public static partial class QueryReader
{
    /// <summary>Header + root name (1) + QTYPE + QCLASS: rbldnsd drops anything shorter.</summary>
    public const int MinimumLength = DnsQuery.HeaderSize + 1 + 4;

    // rbldnsd bounds the terminating zero of the name at min(len - 5, 12 + 254): room for QTYPE/QCLASS after it, and a
    // name of at most DNS_MAXDN (255) bytes including the zero.
    private const int MaxTerminatorOffset = DnsQuery.HeaderSize + DnsQuery.MaxNameLength - 1;

    /// <summary>
    /// Parses <paramref name="packet"/>.
    /// </summary>
    /// <param name="packet">The request bytes.</param>
    /// <param name="lowercaseName">Receives the question name in wire format, ASCII A–Z lowercased; at least 255 bytes.</param>
    /// <param name="labelOffsets">Receives, per label, the offset of its length byte within the name; at least 128 bytes.</param>
    /// <param name="query">The parsed query; meaningful unless the status is a drop.</param>
    /// <returns><see cref="QueryReadStatus.Ok"/>, <see cref="QueryReadStatus.FormatError"/> or a drop reason.</returns>
    public static QueryReadStatus Read(
        ReadOnlySpan<byte> packet, Span<byte> lowercaseName, Span<byte> labelOffsets, out DnsQuery query)
    {
        // Programmer errors, not packet errors: checked before anything so a short buffer never half-parses.
        ArgumentOutOfRangeException.ThrowIfLessThan(lowercaseName.Length, DnsQuery.MaxNameLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelOffsets.Length, DnsQuery.MaxLabels);
        query = default;

        // Same order as parsequery; the order only matters for which drop reason gets counted.
        if (packet.Length < MinimumLength)
        {
            return QueryReadStatus.DroppedTooShort;
        }

        if ((packet[2] & 0x80) != 0)
        {
            return QueryReadStatus.DroppedResponse;
        }

        if (packet[4] != 0 || packet[5] != 1)
        {
            return QueryReadStatus.DroppedQuestionCount;
        }

        int limit = Math.Min(packet.Length - 5, MaxTerminatorOffset);
        int pos = DnsQuery.NameOffset;
        int written = 0;
        int labels = 0;
        int length;
        while ((length = packet[pos]) != 0)
        {
            // A pointer (0xC0..) or extended label type (0x40..) is "> 63" too: compression in the question is invalid.
            int next = pos + length + 1;
            if (length > 63 || next > limit)
            {
                return QueryReadStatus.DroppedBadName;
            }

            labelOffsets[labels++] = (byte)written;
            lowercaseName[written++] = (byte)length;
            for (int i = pos + 1; i < next; i++)
            {
                byte c = packet[i];
                lowercaseName[written++] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
            }

            pos = next;
        }

        lowercaseName[written++] = 0;
        query.Id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        query.Flags1 = packet[2];
        query.Flags2 = packet[3];
        query.QType = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 1)..]);
        query.QClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 3)..]);
        query.NameLength = written;
        query.LabelCount = labels;
        query.MessageLength = packet.Length;

        int questionEnd = pos + 5;
        query.RbldnsdEdns = ReadRbldnsdEdns(packet, questionEnd, limit);
        return ReadAdditional(packet, questionEnd, ref query);
    }

    /// <summary>
    /// parsequery's EDNS test: it compares the end of the question with the same bound it used for the name, so a
    /// question name of 250+ bytes or fewer than 6 bytes after the question means no EDNS.
    /// </summary>
    private static RbldnsdEdns ReadRbldnsdEdns(ReadOnlySpan<byte> packet, int questionEnd, int limit)
    {
        if (questionEnd < limit
            && packet[8] == 0 && packet[9] == 0 && packet[10] == 0 && packet[11] == 1
            && packet[questionEnd] == 0
            && packet[questionEnd + 1] == (DnsType.OPT >> 8) && packet[questionEnd + 2] == (DnsType.OPT & 0xFF))
        {
            return new RbldnsdEdns(BinaryPrimitives.ReadUInt16BigEndian(packet[(questionEnd + 3)..]));
        }

        return default;
    }
}
