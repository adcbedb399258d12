using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip4;

/// <summary>
/// ip4tset: full dotted quads only, no exclusions, one value for the whole dataset (the first
/// <c>:</c> line of all its files; anything after an address is ignored), as rbldnsd_ip4tset.c.
/// </summary>
internal sealed class Ip4TSetParser() : Ip4LineParser("ip4tset")
{
    private int _datasetValue = -1;

    /// <inheritdoc />
    protected override OverlapRule Rule => OverlapRule.UnionAtTopRank;

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        base.StartFile(context);
        if (_datasetValue >= 0) DefaultValue = _datasetValue;
    }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if (line[0] == ':')
        {
            if (_datasetValue >= 0) return; // the first value line wins
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, Values, context);
            if (value >= 0) _datasetValue = DefaultValue = value;
            return;
        }
        base.ParseLine(line, context);
    }

    /// <inheritdoc />
    protected override void ParseEntry(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int pos = 0;
        if (Ip4Text.ParsePrefix(line, ref pos, out uint address) != 32 || !KeyEnded(line, pos))
        {
            context.Warn("invalid address");
            return;
        }
        Add(address, address, 32, 0); // value 0 stands for "the dataset's value", fixed at the end
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        int value = _datasetValue >= 0 ? _datasetValue : Values.Intern(RawValue.BuiltInDefault);
        if (value != 0) Singles.SetAllValues(value); // ip4tset holds single addresses only
        return base.Finish(fileNames, context);
    }
}
