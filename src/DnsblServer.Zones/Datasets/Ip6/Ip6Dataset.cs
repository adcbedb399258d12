using System.Runtime.CompilerServices;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip6;

/// <summary>
/// An IPv6 dataset (ip6trie or ip6tset) after the build: the rbldnsd matching rule of its type is
/// already settled into the range map, so every lookup is one map search and allocates nothing.
/// TXT templates render <c>$</c> as the queried address in <see cref="Addressing.Ip6Text.Format"/> form.
/// </summary>
public sealed class Ip6Dataset : Dataset
{
    private readonly Ip6RangeMap _map;
    private readonly ValueSets _sets;
    private readonly PrefixOverlay<UInt128>? _overlay;

    internal Ip6Dataset(DatasetInfo info, Ip6RangeMap map, ValueSets sets, PrefixOverlay<UInt128>? overlay = null) : base(info, DatasetKind.Ip6)
    {
        _map = map;
        _sets = sets;
        _overlay = overlay;
    }

    /// <summary>
    /// This data with pushed changes layered over it (null: none). The new dataset shares this one's
    /// map and value sets; building it costs only the overlay.
    /// </summary>
    public Ip6Dataset WithOverlay(PrefixOverlay<UInt128>? overlay) => new(Info, _map, _sets, overlay);

    /// <summary>The pushed changes layered over the map; null when there are none.</summary>
    public PrefixOverlay<UInt128>? Overlay => _overlay;

    /// <summary>The values listed for <paramref name="address"/>; empty when not listed or excluded.</summary>
    public ReadOnlySpan<DnsblValue> Lookup(UInt128 address)
    {
        // one null check on the hot path when nothing was pushed
        var overlay = _overlay;
        if (overlay is not null && overlay.TryFind(address, out var pushed)) return pushed;
        return _sets[_map.Find(address)];
    }

    /// <summary>True when any address in [<paramref name="first"/>, <paramref name="last"/>] is listed.</summary>
    public bool HasEntriesIn(UInt128 first, UInt128 last) =>
        _overlay is null ? _map.Intersects(first, last) : IntersectsWithOverlay(_overlay, first, last);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IntersectsWithOverlay(PrefixOverlay<UInt128> overlay, UInt128 first, UInt128 last) => overlay.Intersects(_map, first, last);

    /// <summary>The range map (for dumps, status and benchmarks); without the <see cref="Overlay"/>.</summary>
    public Ip6RangeMap Map => _map;

    /// <summary>The value sets the map refers to.</summary>
    public ValueSets Sets => _sets;

    /// <inheritdoc />
    public override long EntryCount => (_overlay?.AddCount ?? 0) + _map.BlockCount + _map.SingleCount + _map.RangeCount;

    /// <inheritdoc />
    public override long SizeInBytes => _map.SizeInBytes + _sets.SizeInBytes + (_overlay?.SizeInBytes ?? 0);
}
