using System.Runtime.InteropServices;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Trie;

/// <summary>
/// Settles an IPv6 dataset's entries into the disjoint segments of an <see cref="Ip6RangeMap"/>,
/// once, at the end of a load.
/// <para>
/// ip6trie entries are prefixes, so two of them are either disjoint or nested: after sorting by
/// (address, length, file order) one pass with a stack of the open prefixes gives every stretch of
/// addresses its longest prefix (rbldnsd's btrie lookup), with no per-address work however large
/// a prefix is. Of identical prefixes the first in file order is kept and the others are reported
/// (rbldnsd's "duplicated entry"); an exclusion is a prefix whose stretches are simply not written.
/// ip6tset is simpler still: sorted /64s minus the sorted excluded addresses.
/// </para>
/// </summary>
internal static class Ip6RangeMapBuilder
{
    /// <summary>A run of up to this many adjacent /64s with one set is stored as blocks (4 bytes each) rather than a range (32 bytes).</summary>
    public const int MaxBlocksPerSegment = 8;

    /// <summary>
    /// Builds an ip6trie map. <paramref name="entries"/> is reordered. <paramref name="onDuplicate"/> hears every
    /// entry dropped because an earlier one has the same prefix.
    /// </summary>
    public static Ip6RangeMap BuildLongestPrefix(Span<Ip6Entry> entries, ValueSetBuilder sets, Action<Ip6Entry>? onDuplicate)
    {
        if (!IsSorted(entries)) entries.Sort(new EntryOrder());
        var writer = new SegmentWriter();
        // The open prefixes, each inside the one below it: at most one per length, so 129 deep.
        Span<UInt128> openLast = stackalloc UInt128[129];
        Span<int> openSet = stackalloc int[129];
        int depth = 0;
        UInt128 pos = UInt128.Zero; // the first address not yet settled
        bool complete = false;      // everything up to UInt128.MaxValue is settled
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (i > 0 && entry.High == entries[i - 1].High && entry.Low == entries[i - 1].Low && entry.Bits == entries[i - 1].Bits)
            {
                onDuplicate?.Invoke(entry); // the earlier line sorts first and is kept
                continue;
            }
            UInt128 first = entry.First;
            while (depth > 0 && openLast[depth - 1] < first)
            {
                depth--;
                if (pos <= openLast[depth]) writer.Add(pos, openLast[depth], openSet[depth]);
                pos = openLast[depth] + UInt128.One; // below `first`, so it cannot wrap
            }
            if (depth > 0 && pos < first) writer.Add(pos, first - UInt128.One, openSet[depth - 1]);
            pos = first;
            openLast[depth] = entry.Last;
            openSet[depth] = entry.Value == Ip6Entry.Exclusion ? 0 : sets.ForValue(entry.Value);
            depth++;
        }
        while (depth > 0)
        {
            depth--;
            if (!complete && pos <= openLast[depth]) writer.Add(pos, openLast[depth], openSet[depth]);
            if (openLast[depth] == UInt128.MaxValue) complete = true;
            else pos = openLast[depth] + UInt128.One;
        }
        return writer.ToMap();
    }

    /// <summary>
    /// Builds an ip6tset map: each listed /64 (its top 64 bits in <paramref name="blocks"/>, any order,
    /// duplicates allowed) minus the <paramref name="exclusions"/>, all with set <paramref name="set"/>.
    /// Both spans are sorted in place.
    /// </summary>
    public static Ip6RangeMap BuildBlocks(Span<ulong> blocks, Span<UInt128> exclusions, int set)
    {
        blocks.Sort();
        exclusions.Sort();
        var writer = new SegmentWriter();
        int e = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            if (i > 0 && blocks[i] == blocks[i - 1]) continue;
            UInt128 first = (UInt128)blocks[i] << 64, last = first | ulong.MaxValue;
            while (e < exclusions.Length && exclusions[e] < first) e++;
            UInt128 pos = first;
            bool done = false;
            for (; e < exclusions.Length && exclusions[e] <= last; e++)
            {
                UInt128 hole = exclusions[e];
                if (hole < pos) continue; // a repeated exclusion
                if (hole > pos) writer.Add(pos, hole - UInt128.One, set);
                if (hole == last) done = true;
                else pos = hole + UInt128.One;
            }
            if (!done) writer.Add(pos, last, set);
        }
        return writer.ToMap();
    }

    internal static bool IsSorted(ReadOnlySpan<Ip6Entry> entries)
    {
        var order = new EntryOrder();
        for (int i = 1; i < entries.Length; i++)
        {
            if (order.Compare(entries[i - 1], entries[i]) > 0) return false;
        }
        return true;
    }

    /// <summary>Address, then length (a containing prefix before the prefixes inside it), then file order.</summary>
    internal readonly struct EntryOrder : IComparer<Ip6Entry>
    {
        public int Compare(Ip6Entry x, Ip6Entry y)
        {
            int c = x.High.CompareTo(y.High);
            if (c == 0) c = x.Low.CompareTo(y.Low);
            if (c == 0) c = x.Bits.CompareTo(y.Bits);
            if (c == 0) c = x.File.CompareTo(y.File);
            if (c == 0) c = x.Line.CompareTo(y.Line);
            return c;
        }
    }

    /// <summary>
    /// Collects settled segments in address order, merges touching ones with the same set, and files
    /// each merged segment under the cheapest form: a single address, up to <see cref="MaxBlocksPerSegment"/>
    /// whole /64 blocks, or a range.
    /// </summary>
    private sealed class SegmentWriter
    {
        private readonly List<uint> _groupKeys = [];
        private readonly List<int> _groupStart = [];
        private readonly List<uint> _blockTails = [];
        private readonly List<int> _blockSets = [];
        private readonly List<UInt128> _singles = [];
        private readonly List<int> _singleSets = [];
        private readonly List<UInt128> _rangeFirst = [];
        private readonly List<UInt128> _rangeLast = [];
        private readonly List<int> _rangeSets = [];
        private bool _pending;
        private UInt128 _first, _last;
        private int _set;

        public void Add(UInt128 first, UInt128 last, int set)
        {
            if (set == 0) return; // not listed: nothing to store
            if (_pending && set == _set && _last != UInt128.MaxValue && _last + UInt128.One == first)
            {
                _last = last;
                return;
            }
            Flush();
            (_pending, _first, _last, _set) = (true, first, last, set);
        }

        private void Flush()
        {
            if (!_pending) return;
            _pending = false;
            ulong firstTop = (ulong)(_first >> 64), lastTop = (ulong)(_last >> 64);
            if (_first == _last)
            {
                _singles.Add(_first);
                _singleSets.Add(_set);
            }
            else if ((ulong)_first == 0 && (ulong)_last == ulong.MaxValue && lastTop - firstTop < MaxBlocksPerSegment)
            {
                for (ulong key = firstTop; ; key++)
                {
                    AddBlock(key, _set);
                    if (key == lastTop) break;
                }
            }
            else
            {
                _rangeFirst.Add(_first);
                _rangeLast.Add(_last);
                _rangeSets.Add(_set);
            }
        }

        private void AddBlock(ulong key, int set)
        {
            uint top = (uint)(key >> 32);
            if (_groupKeys.Count == 0 || _groupKeys[^1] != top)
            {
                _groupKeys.Add(top);
                _groupStart.Add(_blockTails.Count);
            }
            _blockTails.Add((uint)key);
            _blockSets.Add(set);
        }

        public Ip6RangeMap ToMap()
        {
            Flush();
            _groupStart.Add(_blockTails.Count);
            return new Ip6RangeMap([.. _groupKeys], [.. _groupStart], [.. _blockTails], CollectionsMarshal.AsSpan(_blockSets),
                [.. _singles], CollectionsMarshal.AsSpan(_singleSets),
                [.. _rangeFirst], [.. _rangeLast], CollectionsMarshal.AsSpan(_rangeSets));
        }
    }
}
