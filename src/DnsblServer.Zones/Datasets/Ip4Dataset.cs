using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets;

/// <summary>
/// An IPv4 dataset (ip4set, ip4tset or ip4trie) after the build: the rbldnsd matching rule of
/// its type is already settled into the range map, so every lookup is one map search.
/// </summary>
public sealed class Ip4Dataset : Dataset
{
    private readonly Ip4RangeMap _map;
    private readonly ValueSets _sets;

    internal Ip4Dataset(DatasetInfo info, Ip4RangeMap map, ValueSets sets) : base(info)
    {
        _map = map;
        _sets = sets;
    }

    /// <summary>The values listed for <paramref name="address"/> (host order); empty when not listed or excluded.</summary>
    public ReadOnlySpan<DnsblValue> Lookup(uint address) => _sets[_map.Find(address)];

    /// <summary>True when any address in [<paramref name="first"/>, <paramref name="last"/>] is listed.</summary>
    public bool HasEntriesIn(uint first, uint last) => _map.Intersects(first, last);

    /// <summary>The range map (for dumps, status and benchmarks).</summary>
    public Ip4RangeMap Map => _map;

    /// <summary>The value sets the map refers to.</summary>
    public ValueSets Sets => _sets;

    /// <inheritdoc />
    public override long EntryCount => _map.SingleCount + _map.RangeCount;

    /// <inheritdoc />
    public override long SizeInBytes => _map.SizeInBytes + _sets.SizeInBytes;
}
