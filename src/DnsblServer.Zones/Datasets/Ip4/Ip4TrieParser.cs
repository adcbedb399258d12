using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;

namespace DnsblServer.Zones.Datasets.Ip4;

/// <summary>
/// ip4trie: CIDR and prefix entries (no ranges, /0 allowed), one value per prefix, longest prefix
/// wins, the first of duplicate prefixes is kept (with a warning), an exclusion is a prefix without
/// a value (rbldnsd_ip4trie.c).
/// </summary>
internal sealed class Ip4TrieParser() : Ip4LineParser("ip4trie", warnDuplicates: true)
{
    /// <inheritdoc />
    protected override OverlapRule Rule => OverlapRule.LongestPrefix;

    /// <inheritdoc />
    protected override void ParseEntry(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int pos = 0;
        bool excluded = ReadExclusion(line, ref pos);
        if (!Ip4Text.TryParseCidr(line, ref pos, out uint address, out int bits) || !KeyEnded(line, pos))
        {
            context.Warn("invalid address");
            return;
        }
        if (!CheckHostBits(ref address, bits, context)) return;
        uint last = address | ~Ip4Text.Mask(bits);
        if (!CheckMaxRange(address, last, context)) return;
        int value = excluded ? Ip4Entry.Exclusion : ReadValue(line, pos, context);
        if (value == -1 && !excluded) return;
        Add(address, last, bits, value);
    }
}
