using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using System.Buffers.Binary;
using System.Net;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Exempt;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Values;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// Looks a loaded dataset up as the query path does, at fixed edge addresses and at the addresses and names the
/// input's first lines start with (so lookups hit entries), and renders every TXT found into the 254 bytes the
/// resolver gives it. Checks what must hold whatever the data: a name that <see cref="GenericDataset.Entries"/>
/// lists is found by its lookup, and no text outgrows its buffer.
/// </summary>
internal static class DatasetProbe
{
    private const int ProbedLines = 8;

    public static void Probe(Dataset dataset, ReadOnlySpan<byte> input)
    {
        _ = dataset.EntryCount + dataset.SizeInBytes;
        var (ip4, ip6, names) = Candidates(input);
        switch (dataset)
        {
            case Ip4Dataset d:
                foreach (uint a in ip4)
                {
                    Render(d.Lookup(a), "255.255.255.255"u8);
                    _ = d.HasEntriesIn(a & 0xFFFFFF00, a | 0xFF);
                }
                break;
            case Ip6Dataset d:
                foreach (var a in ip6)
                {
                    Render(d.Lookup(a), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"u8);
                    _ = d.HasEntriesIn(a & ~(UInt128)0xFFFF, a | 0xFFFF);
                }
                break;
            case DnsSetDataset d:
                Span<byte> text = stackalloc byte[DnsNameText.MaxTextLength];
                foreach (var name in names)
                {
                    if (!d.TryLookup(name, out var values, out var listed)) continue;
                    Render(values, text[..DnsSetDataset.FormatListedName(listed, text)]);
                }
                break;
            case GenericDataset d:
                foreach (var (name, records) in d.Entries())
                {
                    if (!d.TryLookup(name, GenericDataset.TypeAny, out var found) || found.Length != records.Length)
                    {
                        throw new InvalidOperationException($"generic: a listed name ({records.Length} records) is not found by its lookup");
                    }
                }
                foreach (var name in names) d.TryLookup(name, GenericDataset.TypeA, out _);
                break;
            case CombinedDataset d:
                foreach (var section in d.Sections) Probe(section.Dataset, input);
                break;
            case ExemptDataset d:
                foreach (uint a in ip4) d.Contains(a);
                foreach (var a in ip6) d.Contains(a);
                break;
            case AclDataset d:
                Span<byte> client = stackalloc byte[16];
                foreach (uint a in ip4)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(client, a);
                    d.Lookup(client[..4], out var listed);
                    Render(listed, "255.255.255.255"u8);
                }
                foreach (var a in ip6)
                {
                    BinaryPrimitives.WriteUInt128BigEndian(client, a);
                    d.Lookup(client, out var listed);
                    Render(listed, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"u8);
                }
                break;
        }
    }

    private static void Render(ReadOnlySpan<DnsblValue> values, ReadOnlySpan<byte> substitution)
    {
        Span<byte> txt = stackalloc byte[TxtTemplate.MaxLength];
        foreach (var value in values)
        {
            int length = value.RenderTxt(substitution, txt);
            if (length is < 0 or > TxtTemplate.MaxLength) throw new InvalidOperationException($"TXT rendered as {length} bytes");
        }
    }

    // The edges, then the first token of each of the first lines read as an address and as a name.
    private static (List<uint> Ip4, List<UInt128> Ip6, List<byte[]> Names) Candidates(ReadOnlySpan<byte> input)
    {
        List<uint> ip4 = [0, 0x7F000002, 0xFFFFFFFF];
        List<UInt128> ip6 = [0, UInt128.MaxValue, (UInt128)0xFFFF7F000002];
        List<byte[]> names = [[], "\u0004test"u8.ToArray()];
        int lines = 0;
        foreach (var range in input.Split((byte)'\n'))
        {
            if (++lines > ProbedLines) break;
            var line = input[range].TrimStart(" \t!*."u8);
            int end = line.IndexOfAny(" \t:/-;"u8);
            var token = end < 0 ? line : line[..end];
            if (token.IsEmpty || token.Length > 253) continue;
            string text = System.Text.Encoding.Latin1.GetString(token);
            if (IPAddress.TryParse(text, out var address))
            {
                byte[] bytes = address.GetAddressBytes();
                if (bytes.Length == 4) ip4.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes));
                else ip6.Add(BinaryPrimitives.ReadUInt128BigEndian(bytes));
            }
            if (WireName(token) is { } wire) names.Add(wire);
        }
        return (ip4, ip6, names);
    }

    // Lowercase wire form without the root byte, as the resolver hands names below a zone to the datasets.
    private static byte[]? WireName(ReadOnlySpan<byte> text)
    {
        var wire = new List<byte>();
        foreach (var range in text.Split((byte)'.'))
        {
            var label = text[range];
            if (label.IsEmpty || label.Length > 63) return null;
            wire.Add((byte)label.Length);
            foreach (byte c in label) wire.Add(c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c);
        }
        return wire.Count is > 0 and < 255 ? [.. wire] : null;
    }
}
