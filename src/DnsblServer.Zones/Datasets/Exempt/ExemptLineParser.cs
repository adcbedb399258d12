using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Exempt;

/// <summary>
/// Reads exempt lists: one IPv4 or IPv6 address, CIDR or range per line (<c>192.0.2.0/24</c>,
/// <c>10.0.0.1-10.0.0.9</c>, <c>2a01:111:f400::/48</c>, <c>2001:db8::1-2001:db8::ff</c>), <c>#</c> comments.
/// Host bits below a prefix are masked off: an allow-list errs on the side of exempting.
/// </summary>
internal sealed class ExemptLineParser : LineParser
{
    private readonly Ip4Singles _singles = new(trackLines: false);
    private readonly List<Ip4Entry> _ranges = [];
    private readonly List<(UInt128 First, UInt128 Last)> _ip6 = [];

    /// <summary>Hears every IPv4 entry as it is read (the <c>explain</c> verb).</summary>
    public Action<EntryTrace>? Tracer { get; init; }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int end = 0;
        while (end < line.Length && !Syntax.IsKeyEnd(line, end)) end++;
        ReadOnlySpan<byte> key = line[..end];
        if (Syntax.SkipSpace(line, end) < line.Length && !Syntax.IsComment(line[Syntax.SkipSpace(line, end)]))
        {
            context.Warn("unexpected text after the address");
            return;
        }
        if (key.IndexOf((byte)':') >= 0)
        {
            if (TryParseIp6(key, out UInt128 first, out UInt128 last)) _ip6.Add((first, last));
            else context.Warn("invalid IPv6 address, CIDR or range");
            return;
        }
        int pos = 0;
        if (!Ip4Text.TryParseRange(key, ref pos, out uint a, out uint b, out int bits, out bool isRange) || pos != key.Length)
        {
            context.Warn("invalid IPv4 address, CIDR or range");
            return;
        }
        if (!isRange)
        {
            a &= Ip4Text.Mask(bits);
            b = a | ~Ip4Text.Mask(bits);
        }
        Tracer?.Invoke(new EntryTrace(context.File, context.Line, Encoding.Latin1.GetString(line), a, b, null));
        if (a == b) _singles.Add(a, 0, 0, 0);
        else _ranges.Add(new Ip4Entry(a, b, 0, 0, 0, 0));
    }

    /// <summary>Builds the list.</summary>
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        var map = Ip4RangeMapBuilder.Build(_singles, _ranges, OverlapRule.UnionAtTopRank, sets);
        var merged = new List<(UInt128 First, UInt128 Last)>();
        foreach (var range in _ip6.OrderBy(r => r.First))
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || merged[^1].Last + 1 >= range.First))
            {
                if (range.Last > merged[^1].Last) merged[^1] = (merged[^1].First, range.Last);
            }
            else merged.Add(range);
        }
        return new ExemptDataset(DatasetInfo.From("exempt", fileNames, context), map, [.. merged.Select(r => r.First)], [.. merged.Select(r => r.Last)]);
    }

    private static bool TryParseIp6(ReadOnlySpan<byte> key, out UInt128 first, out UInt128 last)
    {
        first = last = 0;
        string text = Encoding.ASCII.GetString(key);
        int dash = text.IndexOf('-');
        if (dash > 0)
        {
            return TryAddress(text[..dash], out first) && TryAddress(text[(dash + 1)..], out last) && first <= last;
        }
        int slash = text.IndexOf('/');
        int bits = 128;
        if (slash > 0 && (!int.TryParse(text[(slash + 1)..], out bits) || bits is < 0 or > 128)) return false;
        if (!TryAddress(slash > 0 ? text[..slash] : text, out first)) return false;
        UInt128 host = bits == 128 ? UInt128.Zero : UInt128.MaxValue >> bits;
        first &= ~host;
        last = first | host;
        return true;
    }

    private static bool TryAddress(string text, out UInt128 address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        address = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}
