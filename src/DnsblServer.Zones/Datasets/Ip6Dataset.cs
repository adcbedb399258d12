using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets;

/// <summary>
/// An IPv6 dataset (ip6trie or ip6tset) after the build: the rbldnsd matching rule of its type is
/// already settled into the range map, so every lookup is one map search and allocates nothing.
/// TXT templates render <c>$</c> as the queried address in <see cref="Addressing.Ip6Text.Format"/> form.
/// </summary>
public sealed class Ip6Dataset : Dataset
{
    private readonly Ip6RangeMap _map;
    private readonly ValueSets _sets;

    internal Ip6Dataset(DatasetInfo info, Ip6RangeMap map, ValueSets sets) : base(info)
    {
        _map = map;
        _sets = sets;
    }

    /// <summary>The values listed for <paramref name="address"/>; empty when not listed or excluded.</summary>
    public ReadOnlySpan<DnsblValue> Lookup(UInt128 address) => _sets[_map.Find(address)];

    /// <summary>True when any address in [<paramref name="first"/>, <paramref name="last"/>] is listed.</summary>
    public bool HasEntriesIn(UInt128 first, UInt128 last) => _map.Intersects(first, last);

    /// <summary>The range map (for dumps, status and benchmarks).</summary>
    public Ip6RangeMap Map => _map;

    /// <summary>The value sets the map refers to.</summary>
    public ValueSets Sets => _sets;

    /// <inheritdoc />
    public override long EntryCount => _map.BlockCount + _map.SingleCount + _map.RangeCount;

    /// <inheritdoc />
    public override long SizeInBytes => _map.SizeInBytes + _sets.SizeInBytes;
}
