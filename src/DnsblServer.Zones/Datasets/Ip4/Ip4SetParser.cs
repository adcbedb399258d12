using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;

namespace DnsblServer.Zones.Datasets.Ip4;

/// <summary>
/// ip4set: prefixes, CIDRs and ranges with per-entry values and exclusions. rbldnsd stores each
/// entry as blocks at four octet levels (/32, /24, /16, /8) and answers from the most specific
/// level that has any entry for the address, with all that level's values; an exclusion wins within
/// its level. The level of each piece is kept as the entry's rank so the build settles overlaps the
/// same way, while the range itself stays one entry.
/// </summary>
internal sealed class Ip4SetParser() : Ip4LineParser("ip4set")
{
    /// <inheritdoc />
    protected override OverlapRule Rule => OverlapRule.UnionAtTopRank;

    /// <inheritdoc />
    protected override void ParseEntry(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int pos = 0;
        bool excluded = ReadExclusion(line, ref pos);
        // rbldnsd's ip4set refuses a /0 (0/0 is "invalid address"; 0.0.0.0-255.255.255.255 is fine).
        if (!Ip4Text.TryParseRange(line, ref pos, out uint first, out uint last, out int bits, out bool isRange) || !KeyEnded(line, pos) || (!isRange && bits == 0))
        {
            context.Warn("invalid address");
            return;
        }
        if (!isRange)
        {
            if (!CheckHostBits(ref first, bits, context)) return;
            last = first | ~Ip4Text.Mask(bits);
        }
        if (!CheckMaxRange(first, last, context)) return;
        int value = excluded ? Ip4Entry.Exclusion : ReadValue(line, pos, context);
        if (value == -1 && !excluded) return;
        AddOctetLevels(first, last, value);
    }

    // rbldnsd's ip4range_expand: partial blocks at the edges stay at the finer level, whole
    // blocks move up a level. Each level's run becomes one entry ranked by that level.
    // a and b count blocks of 2^shift addresses.
    private void AddOctetLevels(uint first, uint last, int value)
    {
        ulong a = first, b = last;
        for (int shift = 0; shift < 24; shift += 8)
        {
            int rank = 32 - shift;
            if ((a | 255) >= b)
            {
                if (b - a == 255) AddBlocks(a, 256, shift, rank - 8, value); // exactly one block of the next level
                else AddBlocks(a, b - a + 1, shift, rank, value);
                return;
            }
            if ((a & 255) != 0)
            {
                AddBlocks(a, 256 - (a & 255), shift, rank, value);
                a = (a >> 8) + 1;
            }
            else a >>= 8;
            if ((b & 255) != 255)
            {
                AddBlocks(b & ~255UL, (b & 255) + 1, shift, rank, value);
                b = (b >> 8) - 1;
            }
            else b >>= 8;
        }
        AddBlocks(a, b - a + 1, 24, 8, value);
    }

    // `count` blocks of 2^shift addresses from block `start`; count 0 when the two edges met.
    private void AddBlocks(ulong start, ulong count, int shift, int rank, int value)
    {
        if (count == 0 || count > 256) return;
        Add((uint)(start << shift), (uint)(((start + count) << shift) - 1), rank, value);
    }
}
