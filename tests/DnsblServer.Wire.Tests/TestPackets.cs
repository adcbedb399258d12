using System.Buffers.Binary;
using System.Text;
using ARSoft.Tools.Net.Dns;

namespace DnsblServer.Wire.Tests;

/// <summary>Builds request bytes and wire names for the tests.</summary>
internal static class TestPackets
{
    /// <summary>A TXT template rendered the way the zone engine does it (rbldnsd's txtsubst, no variables).</summary>
    public static byte[] Render(ReadOnlySpan<byte> template, ReadOnlySpan<byte> substitution)
    {
        byte[]? expanded = DnsblServer.Zones.Values.TxtTemplate.Expand(template, new byte[]?[10], default);
        if (expanded is null) return [];
        var text = new byte[DnsblServer.Zones.Values.TxtTemplate.MaxLength];
        return text[..DnsblServer.Zones.Values.TxtTemplate.Render(expanded, substitution, text)];
    }

    /// <summary>Uncompressed wire name from dotted text ("" or "." is the root).</summary>
    public static byte[] Name(string dotted)
    {
        var bytes = new List<byte>();
        foreach (string label in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>Wire names back to back, as TryAddNs takes them.</summary>
    public static byte[] Names(params string[] dotted) => [.. dotted.SelectMany(Name)];

    /// <summary>A query: header, one question, optional OPT right after it, optional trailing bytes.</summary>
    public static byte[] Query(
        string name,
        ushort type = DnsType.A,
        ushort @class = DnsClass.IN,
        byte flags1 = 0x01,
        byte flags2 = 0,
        ushort id = 0x1234,
        int? ednsPayload = null,
        byte[]? after = null,
        (ushort Qd, ushort An, ushort Ns, ushort Ar)? counts = null)
    {
        var packet = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        header[2] = flags1;
        header[3] = flags2;
        var c = counts ?? ((ushort)1, (ushort)0, (ushort)0, (ushort)(ednsPayload is null ? 0 : 1));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), c.Qd);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), c.An);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), c.Ns);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), c.Ar);
        packet.AddRange(header);
        packet.AddRange(Name(name));
        packet.AddRange([(byte)(type >> 8), (byte)type, (byte)(@class >> 8), (byte)@class]);
        if (ednsPayload is int size)
        {
            packet.AddRange(Opt((ushort)size));
        }

        packet.AddRange(after ?? []);
        return [.. packet];
    }

    /// <summary>An OPT RR with a root owner.</summary>
    public static byte[] Opt(ushort payload, byte extRcode = 0, byte version = 0, ushort flags = 0, byte[]? rdata = null)
    {
        rdata ??= [];
        var opt = new byte[11 + rdata.Length];
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(1), DnsType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(3), payload);
        opt[5] = extRcode;
        opt[6] = version;
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(7), flags);
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(9), (ushort)rdata.Length);
        rdata.CopyTo(opt, 11);
        return opt;
    }

    /// <summary>Reads <paramref name="packet"/>, asserting success, and returns the query.</summary>
    public static DnsQuery Read(byte[] packet)
    {
        var status = QueryReader.Read(packet, new byte[255], new byte[128], out DnsQuery query);
        Assert.Equal(QueryReadStatus.Ok, status);
        return query;
    }

    /// <summary>Decodes a reply with ARSoft, the independent decoder.</summary>
    public static DnsMessage Decode(ReadOnlySpan<byte> reply) => DnsMessage.Parse(reply.ToArray());

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
