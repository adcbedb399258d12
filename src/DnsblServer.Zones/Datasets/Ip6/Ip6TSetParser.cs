using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip6;

/// <summary>
/// ip6tset (rbldnsd_ip6tset.c): /64s written as exactly four groups, minus single addresses excluded
/// with <c>!</c> and written in full (eight groups, or with <c>::</c>), all sharing one value: the first
/// valid line starting with <c>:</c> in any file of the dataset (so <c>::1</c> here is a value line, not
/// an address). Anything after a key is ignored, duplicates are merged silently. Stored as 4-byte
/// /64 blocks (rbldnsd: 8 bytes), see <see cref="Ip6RangeMap"/>.
/// </summary>
public sealed class Ip6TSetParser : LineParser
{
    /// <summary>The dataset type name.</summary>
    public const string Type = "ip6tset";

    private readonly ValueTable _values = new();
    private ulong[] _blocks = new ulong[64];
    private int _blockCount;
    private readonly List<UInt128> _exclusions = [];
    private int _value = -1;

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        // a line holds 20 to 40 bytes; reserving up front avoids repeated doubling on big files
        long expected = _blockCount + context.FileSize / 20;
        if (expected > _blocks.Length) Array.Resize(ref _blocks, (int)Math.Min(expected, Array.MaxLength));
    }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if (line[0] == ':')
        {
            if (_value >= 0) return; // the first value line of the dataset wins; later ones are not even read
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, _values, context);
            if (value >= 0) _value = value;
            return;
        }
        int pos = 0;
        bool excluded = Ip6Syntax.ReadExclusion(line, ref pos);
        int bits = Ip6Text.ParsePrefix(line, ref pos, out UInt128 address);
        if (bits < 0 || !Ip6Syntax.KeyEnded(line, pos))
        {
            context.Warn("invalid address");
            return;
        }
        if (excluded)
        {
            if (bits != 128)
            {
                context.Warn("invalid address for exclusion (should be 128 bits)");
                return;
            }
            _exclusions.Add(address);
            return;
        }
        if (bits != 64)
        {
            context.Warn("invalid address for regular entry (should be 64 bits)");
            return;
        }
        if (_blockCount == _blocks.Length) Array.Resize(ref _blocks, _blockCount * 2);
        _blocks[_blockCount++] = (ulong)(address >> 64);
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        int value = _value >= 0 ? _value : _values.Intern(RawValue.BuiltInDefault);
        var sets = new ValueSetBuilder();
        int set = sets.ForValue(value);
        var map = Ip6RangeMapBuilder.BuildBlocks(_blocks.AsSpan(0, _blockCount), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_exclusions), set);
        _blocks = [];
        return new Ip6Dataset(DatasetInfo.From(Type, fileNames, context), map, sets.Build(_values.Expand(context)));
    }
}
