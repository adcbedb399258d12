using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;

namespace DnsblServer.TestSupport;

/// <summary>EDNS0 OPT pseudo-record parameters for <see cref="DnsPacket.Query(string, ushort, ushort, ushort, ushort, Edns?)"/>.</summary>
/// <param name="UdpSize">Advertised UDP payload size (the OPT CLASS field).</param>
/// <param name="Version">EDNS version (0 is the only defined one).</param>
/// <param name="DnssecOk">The DO bit.</param>
/// <param name="ExtendedRcode">Upper 8 bits of the extended RCODE (should be 0 in queries).</param>
/// <param name="OptionData">Raw RDATA of the OPT record (already encoded options), or null for none.</param>
public sealed record Edns(ushort UdpSize = 4096, byte Version = 0, bool DnssecOk = false, byte ExtendedRcode = 0, byte[]? OptionData = null);

/// <summary>
/// Builds raw DNS query packets, including deliberately odd ones. Nothing is validated except label
/// length (at most 63 bytes, so a label can never be mistaken for a compression pointer); compose
/// <see cref="Header"/>, <see cref="Question"/>, <see cref="Opt"/> and arbitrary bytes with <see cref="Concat"/>.
/// </summary>
public static class DnsPacket
{
    /// <summary>Transaction id used when none is given.</summary>
    public const ushort DefaultId = 0x1234;

    /// <summary>Header flag QR (response).</summary>
    public const int FlagQr = 0x8000;

    /// <summary>Header flag AA (authoritative answer).</summary>
    public const int FlagAa = 0x0400;

    /// <summary>Header flag TC (truncated).</summary>
    public const int FlagTc = 0x0200;

    /// <summary>Header flag RD (recursion desired); set by default in built queries, as dig does.</summary>
    public const int FlagRd = 0x0100;

    /// <summary>Header flag RA (recursion available).</summary>
    public const int FlagRa = 0x0080;

    /// <summary>Header bit Z (reserved).</summary>
    public const int FlagZ = 0x0040;

    /// <summary>Header flag AD (authentic data).</summary>
    public const int FlagAd = 0x0020;

    /// <summary>Header flag CD (checking disabled).</summary>
    public const int FlagCd = 0x0010;

    /// <summary>Class IN.</summary>
    public const ushort ClassIn = 1;

    /// <summary>Class CH (CHAOS).</summary>
    public const ushort ClassCh = 3;

    /// <summary>Class ANY.</summary>
    public const ushort ClassAny = 255;

    /// <summary>The flags-word bits for an opcode (0 QUERY, 1 IQUERY, 2 STATUS, 4 NOTIFY, 5 UPDATE), to OR into flags.</summary>
    public static int Opcode(int opcode) => (opcode & 0xF) << 11;

    /// <summary>A complete query: header with QDCOUNT 1 (ARCOUNT 1 if <paramref name="edns"/>), question, optional OPT.</summary>
    public static byte[] Query(string name, ushort type, ushort @class = ClassIn, ushort id = DefaultId, int flags = FlagRd, Edns? edns = null) =>
        Concat(
            Header(id, flags, qdCount: 1, arCount: (ushort)(edns is null ? 0 : 1)),
            Question(name, type, @class),
            edns is null ? [] : Opt(edns));

    /// <summary>A complete query using ARSoft's type and class enums.</summary>
    public static byte[] Query(string name, RecordType type, RecordClass @class = RecordClass.INet, ushort id = DefaultId, int flags = FlagRd, Edns? edns = null) =>
        Query(name, (ushort)type, (ushort)@class, id, flags, edns);

    /// <summary>A 12-byte header.</summary>
    public static byte[] Header(ushort id, int flags, ushort qdCount, ushort anCount = 0, ushort nsCount = 0, ushort arCount = 0)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(0), id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), qdCount);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), anCount);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), nsCount);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), arCount);
        return header;
    }

    /// <summary>A question entry: encoded name, QTYPE, QCLASS.</summary>
    public static byte[] Question(string name, ushort type, ushort @class)
    {
        var encoded = EncodeName(name);
        var question = new byte[encoded.Length + 4];
        encoded.CopyTo(question, 0);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(encoded.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(encoded.Length + 2), @class);
        return question;
    }

    /// <summary>
    /// Uncompressed wire form of a dotted name; a trailing dot is optional, "" and "." are the root.
    /// Each character becomes one byte (Latin-1), so any byte value can be put in a label. The total
    /// length is not checked, so over-long names can be built.
    /// </summary>
    public static byte[] EncodeName(string name)
    {
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        var result = new List<byte>(name.Length + 2);
        if (name.Length > 0)
        {
            foreach (var label in name.Split('.'))
            {
                if (label.Length > 63)
                {
                    throw new ArgumentException($"Label '{label}' is longer than 63 bytes; build such packets from raw bytes.", nameof(name));
                }

                result.Add((byte)label.Length);
                foreach (var c in label)
                {
                    result.Add(c <= 0xFF ? (byte)c : throw new ArgumentException("Names are Latin-1: one byte per character.", nameof(name)));
                }
            }
        }

        result.Add(0);
        return [.. result];
    }

    /// <summary>An OPT pseudo-record (owner root, TYPE 41) for the additional section.</summary>
    public static byte[] Opt(Edns edns)
    {
        var data = edns.OptionData ?? [];
        var opt = new byte[11 + data.Length];
        opt[0] = 0; // root owner
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(1), 41);
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(3), edns.UdpSize);
        opt[5] = edns.ExtendedRcode;
        opt[6] = edns.Version;
        opt[7] = (byte)(edns.DnssecOk ? 0x80 : 0);
        opt[8] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(9), (ushort)data.Length);
        data.CopyTo(opt, 11);
        return opt;
    }

    /// <summary>Concatenates packet parts.</summary>
    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
