using System.Buffers.Binary;
using System.Text;
using DnsblServer.TestSupport;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// Raw queries for names given as label lists (any byte in a label, dots included), and a small
/// independent reader of the answer section: rcode, AA, and each answer's type, TTL and RDATA bytes.
/// </summary>
internal static class DnsDatasetProbe
{
    public sealed record Answer(ushort Type, uint Ttl, byte[] Rdata);

    public sealed record Reply(int Rcode, bool Authoritative, List<Answer> Answers);

    /// <summary>The wire form of <paramref name="labels"/> (Latin-1, no root byte), lowercased when asked.</summary>
    public static byte[] Wire(IEnumerable<string> labels, bool lower)
    {
        var wire = new List<byte>();
        foreach (string label in labels)
        {
            wire.Add((byte)label.Length);
            foreach (char c in label) wire.Add((byte)(lower && c is >= 'A' and <= 'Z' ? c | 0x20 : c));
        }
        return [.. wire];
    }

    /// <summary>Queries <paramref name="labels"/> under <paramref name="zone"/> with EDNS 4096, so nothing is dropped for size.</summary>
    public static Reply Ask(RawDnsClient client, IReadOnlyList<string> labels, string zone, ushort type)
    {
        byte[] name = [.. Wire(labels, lower: false), .. DnsPacket.EncodeName(zone)];
        var question = new byte[name.Length + 4];
        name.CopyTo(question, 0);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(name.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(name.Length + 2), DnsPacket.ClassIn);
        byte[] query = DnsPacket.Concat(DnsPacket.Header(0x4242, DnsPacket.FlagRd, 1, arCount: 1), question, DnsPacket.Opt(new Edns(4096)));
        byte[] response = client.Send(query) ?? client.Send(query) ?? throw new TimeoutException(Text(labels));
        return Parse(response);
    }

    public static Reply Parse(byte[] p)
    {
        int flags = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2));
        int qd = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(4));
        int an = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(6));
        int pos = 12;
        for (int i = 0; i < qd; i++) pos = SkipName(p, pos) + 4;
        var answers = new List<Answer>();
        for (int i = 0; i < an; i++)
        {
            pos = SkipName(p, pos);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(pos));
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(pos + 4));
            int length = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(pos + 8));
            answers.Add(new Answer(type, ttl, p.AsSpan(pos + 10, length).ToArray()));
            pos += 10 + length;
        }
        return new Reply(flags & 0xF, (flags & DnsPacket.FlagAa) != 0, answers);
    }

    private static int SkipName(byte[] p, int pos)
    {
        while (true)
        {
            int len = p[pos];
            if ((len & 0xC0) == 0xC0) return pos + 2;
            pos += 1 + len;
            if (len == 0) return pos;
        }
    }

    /// <summary>Labels for messages: dotted, with non-printable bytes as \DDD.</summary>
    public static string Text(IEnumerable<string> labels) =>
        string.Join('.', labels.Select(l => string.Concat(l.Select(c => c is < ' ' or > '~' or '.' ? $"\\{(int)c:000}" : c.ToString()))));

    public static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
