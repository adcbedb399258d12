using System.Buffers.Binary;

namespace DnsblServer.Wire;

/// <content>
/// The RFC 6891 pass: walk ANSWER and AUTHORITY (a query should have none, but a client may send them), then look for
/// OPT in ADDITIONAL. rbldnsd ignores all of this; it only decides <see cref="QueryReadStatus.FormatError"/>.
/// </content>
public static partial class QueryReader
{
    private const int RrFixedLength = 10; // TYPE, CLASS, TTL, RDLENGTH

    /// <summary>EDNS option code of DNS COOKIE (RFC 7873 §4).</summary>
    public const ushort CookieOptionCode = 10;

    private static QueryReadStatus ReadAdditional(ReadOnlySpan<byte> packet, int pos, ref DnsQuery query)
    {
        int skip = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int additional = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);

        // Each RR takes at least 11 bytes, so these loops end after packet.Length / 11 rounds whatever the counts say.
        for (int i = 0; i < skip; i++)
        {
            if (!TrySkipRecord(packet, ref pos, out _, out _))
            {
                return QueryReadStatus.FormatError;
            }
        }

        for (int i = 0; i < additional; i++)
        {
            int start = pos;
            if (!TrySkipRecord(packet, ref pos, out int fixedAt, out int rdLength))
            {
                return QueryReadStatus.FormatError;
            }

            if (BinaryPrimitives.ReadUInt16BigEndian(packet[fixedAt..]) != DnsType.OPT)
            {
                continue;
            }

            // RFC 6891 §6.1.1: more than one OPT is FORMERR; §6.1.2: the owner must be the root.
            int rdata = pos - rdLength;
            if (query.Edns.Present || fixedAt != start + 1 || !TryReadOptions(packet.Slice(rdata, rdLength), out int cookieAt, out int cookieLength))
            {
                return QueryReadStatus.FormatError;
            }

            query.Edns = new EdnsInfo(
                optOffset: start,
                udpPayloadSize: BinaryPrimitives.ReadUInt16BigEndian(packet[(fixedAt + 2)..]),
                extendedRcode: packet[fixedAt + 4],
                version: packet[fixedAt + 5],
                flags: BinaryPrimitives.ReadUInt16BigEndian(packet[(fixedAt + 6)..]),
                cookieOffset: cookieAt < 0 ? 0 : rdata + cookieAt,
                cookieLength: cookieLength);
        }

        // Bytes after the last counted RR are ignored, as rbldnsd and most servers do.
        return QueryReadStatus.Ok;
    }

    /// <summary>Skips one RR; compression pointers are fine here (they end the owner name).</summary>
    private static bool TrySkipRecord(ReadOnlySpan<byte> packet, ref int pos, out int fixedAt, out int rdLength)
    {
        fixedAt = 0;
        rdLength = 0;
        int p = pos;
        while (true)
        {
            if (p >= packet.Length)
            {
                return false;
            }

            int length = packet[p];
            if (length == 0)
            {
                p++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                p += 2;
                break;
            }

            if (length > 63)
            {
                return false; // 0x40/0x80 label types are obsolete or unassigned (RFC 6891 §5).
            }

            p += length + 1;
        }

        if (p + RrFixedLength > packet.Length)
        {
            return false;
        }

        fixedAt = p;
        rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(p + 8)..]);
        p += RrFixedLength + rdLength;
        if (p > packet.Length)
        {
            return false;
        }

        pos = p;
        return true;
    }

    /// <summary>
    /// OPT RDATA is a list of {code, length, data}; the last one must end exactly at RDLENGTH. Notes where the first
    /// COOKIE option's data starts (relative to <paramref name="rdata"/>; -1 without one) and its length; RFC 7873 says
    /// nothing of a second one, which is ignored.
    /// </summary>
    private static bool TryReadOptions(ReadOnlySpan<byte> rdata, out int cookieAt, out int cookieLength)
    {
        cookieAt = -1;
        cookieLength = 0;
        int p = 0;
        while (p < rdata.Length)
        {
            if (p + 4 > rdata.Length)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 2)..]);
            if (cookieAt < 0 && BinaryPrimitives.ReadUInt16BigEndian(rdata[p..]) == CookieOptionCode)
            {
                cookieAt = p + 4;
                cookieLength = length;
            }

            p += 4 + length;
        }

        return p == rdata.Length;
    }
}
