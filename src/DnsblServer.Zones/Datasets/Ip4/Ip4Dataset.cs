using System.Runtime.CompilerServices;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip4;

/// <summary>
/// An IPv4 dataset (ip4set, ip4tset or ip4trie) after the build: the rbldnsd matching rule of
/// its type is already settled into the range map, so every lookup is one map search.
/// </summary>
public sealed class Ip4Dataset : Dataset
{
    private readonly Ip4RangeMap _map;
    private readonly ValueSets _sets;
    private readonly PrefixOverlay<uint>? _overlay;

    internal Ip4Dataset(DatasetInfo info, Ip4RangeMap map, ValueSets sets, PrefixOverlay<uint>? overlay = null) : base(info, DatasetKind.Ip4)
    {
        _map = map;
        _sets = sets;
        _overlay = overlay;
    }

    /// <summary>
    /// This data with pushed changes layered over it (null: none). The new dataset shares this one's
    /// map and value sets; building it costs only the overlay.
    /// </summary>
    public Ip4Dataset WithOverlay(PrefixOverlay<uint>? overlay) => new(Info, _map, _sets, overlay);

    /// <summary>The pushed changes layered over the map; null when there are none.</summary>
    public PrefixOverlay<uint>? Overlay => _overlay;

    /// <summary>The values listed for <paramref name="address"/> (host order); empty when not listed or excluded.</summary>
    public ReadOnlySpan<DnsblValue> Lookup(uint address)
    {
        // one null check on the hot path when nothing was pushed
        var overlay = _overlay;
        if (overlay is not null && overlay.TryFind(address, out var pushed)) return pushed;
        return _sets[_map.Find(address)];
    }

    /// <summary>True when any address in [<paramref name="first"/>, <paramref name="last"/>] is listed.</summary>
    public bool HasEntriesIn(uint first, uint last) =>
        _overlay is null ? _map.Intersects(first, last) : IntersectsWithOverlay(_overlay, first, last);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IntersectsWithOverlay(PrefixOverlay<uint> overlay, uint first, uint last) => overlay.Intersects(_map, first, last);

    /// <summary>The range map (for dumps, status and benchmarks); without the <see cref="Overlay"/>.</summary>
    public Ip4RangeMap Map => _map;

    /// <summary>The value sets the map refers to.</summary>
    public ValueSets Sets => _sets;

    /// <inheritdoc />
    public override long EntryCount => (_overlay?.AddCount ?? 0) + _map.SingleCount + _map.RangeCount;

    /// <inheritdoc />
    public override long SizeInBytes => _map.SizeInBytes + _sets.SizeInBytes + (_overlay?.SizeInBytes ?? 0);
}
