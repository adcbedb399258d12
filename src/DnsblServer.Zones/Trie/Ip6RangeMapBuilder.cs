using DnsblServer.Addressing;
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
/// <para>
/// Memory: the prefixes come in the compact <see cref="Ip6PrefixList"/>, sorted in place, and each
/// build walks its input twice, counting the segments of each form and then writing them into arrays
/// of exactly that size, so nothing is grown and copied while the input is still held.
/// </para>
/// </summary>
internal static class Ip6RangeMapBuilder
{
    /// <summary>A run of up to this many adjacent /64s with one set is stored as blocks (4 bytes each) rather than a range (32 bytes).</summary>
    public const int MaxBlocksPerSegment = 8;

    /// <summary>Hears a prefix dropped because an earlier line has the same one: its file index, line, network and length.</summary>
    public delegate void DuplicateHandler(int file, int line, UInt128 network, int bits);

    /// <summary>
    /// Builds an ip6trie map from <paramref name="prefixes"/>, which it sorts and then releases.
    /// <paramref name="onDuplicate"/> hears, in file order, every prefix dropped because an earlier line has the same one.
    /// </summary>
    public static Ip6RangeMap BuildLongestPrefix(Ip6PrefixList prefixes, ValueSetBuilder sets, DuplicateHandler? onDuplicate)
    {
        prefixes.Sort();
        // Two passes over the sorted prefixes: the first counts the segments of each form, the second writes them into
        // arrays of exactly that size. A pass costs ~30 ms per 1M prefixes; growing lists and copying them into arrays
        // held both at once (1M prefixes: ~20 MB at the load's peak).
        var writer = new SegmentWriter();
        Settle(prefixes, sets, writer, null);
        writer.StartWriting();
        var duplicates = new List<Duplicate>();
        Settle(prefixes, sets, writer, duplicates);
        prefixes.Release();
        var map = writer.ToMap();
        if (onDuplicate is not null && duplicates.Count != 0)
        {
            // found in address order; rbldnsd warns as it reads the lines
            duplicates.Sort((x, y) => x.Ordinal.CompareTo(y.Ordinal));
            foreach (var d in duplicates)
            {
                var (file, line) = prefixes.Position(d.Ordinal);
                onDuplicate(file, line, new UInt128(d.High, d.Low), d.Bits);
            }
        }
        return map;
    }

    private readonly record struct Duplicate(int Ordinal, int Bits, ulong High, ulong Low);

    // The longest-prefix pass: after sorting by (address, length, file order), a stack of the open prefixes
    // settles every stretch of addresses between two prefix edges.
    private static void Settle(Ip6PrefixList prefixes, ValueSetBuilder sets, SegmentWriter writer, List<Duplicate>? duplicates)
    {
        // The open prefixes, each inside the one below it: at most one per length, so 129 deep.
        Span<UInt128> openLast = stackalloc UInt128[129];
        Span<int> openSet = stackalloc int[129];
        int depth = 0;
        UInt128 pos = UInt128.Zero; // the first address not yet settled
        bool complete = false;      // everything up to UInt128.MaxValue is settled
        ulong previousHigh = 0, previousLow = 0;
        int previousBits = -1;
        var reader = prefixes.Read();
        while (reader.MoveNext())
        {
            ulong high = reader.High, low = reader.Low;
            int bits = reader.Bits;
            if (high == previousHigh && low == previousLow && bits == previousBits)
            {
                duplicates?.Add(new Duplicate(reader.Ordinal, bits, high, low)); // the earlier line sorts first and is kept
                continue;
            }
            (previousHigh, previousLow, previousBits) = (high, low, bits);
            UInt128 first = new(high, low);
            while (depth > 0 && openLast[depth - 1] < first)
            {
                depth--;
                if (pos <= openLast[depth]) writer.Add(pos, openLast[depth], openSet[depth]);
                pos = openLast[depth] + UInt128.One; // below `first`, so it cannot wrap
            }
            if (depth > 0 && pos < first) writer.Add(pos, first - UInt128.One, openSet[depth - 1]);
            pos = first;
            openLast[depth] = first | ~Ip6Text.Mask(bits);
            int value = reader.Value;
            openSet[depth] = value < 0 ? 0 : sets.ForValue(value);
            depth++;
        }
        while (depth > 0)
        {
            depth--;
            if (!complete && pos <= openLast[depth]) writer.Add(pos, openLast[depth], openSet[depth]);
            if (openLast[depth] == UInt128.MaxValue) complete = true;
            else pos = openLast[depth] + UInt128.One;
        }
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
        var writer = new SegmentWriter(); // counts, then writes (see BuildLongestPrefix)
        SettleBlocks(blocks, exclusions, set, writer);
        writer.StartWriting();
        SettleBlocks(blocks, exclusions, set, writer);
        return writer.ToMap();
    }

    private static void SettleBlocks(ReadOnlySpan<ulong> blocks, ReadOnlySpan<UInt128> exclusions, int set, SegmentWriter writer)
    {
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
    }

    /// <summary>
    /// Collects settled segments in address order, merges touching ones with the same set, and files
    /// each merged segment under the cheapest form: a single address, up to <see cref="MaxBlocksPerSegment"/>
    /// whole /64 blocks, or a range. First it only counts (and notes the set ids' range, for the width
    /// of their <see cref="PackedIds"/>); <see cref="StartWriting"/> allocates the final arrays and the
    /// same segments, added again, are written into them.
    /// </summary>
    private sealed class SegmentWriter
    {
        private bool _writing;
        private int _groups, _blocks, _singles, _ranges; // while counting: how many; while writing: the next index
        private uint _lastGroupKey;
        private IdRange _blockIds, _singleIds, _rangeIds;
        private uint[] _groupKeys = [];
        private int[] _groupStart = [];
        private uint[] _blockTails = [];
        private PackedIds _blockSets;
        private UInt128[] _singleAddresses = [];
        private PackedIds _singleSets;
        private UInt128[] _rangeFirst = [], _rangeLast = [];
        private PackedIds _rangeSets;
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

        /// <summary>Ends the counting pass: allocates every array at its final size; the same segments must follow.</summary>
        public void StartWriting()
        {
            Flush();
            _groupKeys = new uint[_groups];
            _groupStart = new int[_groups + 1];
            _blockTails = new uint[_blocks];
            _blockSets = _blockIds.Allocate(_blocks);
            _singleAddresses = new UInt128[_singles];
            _singleSets = _singleIds.Allocate(_singles);
            _rangeFirst = new UInt128[_ranges];
            _rangeLast = new UInt128[_ranges];
            _rangeSets = _rangeIds.Allocate(_ranges);
            _groups = _blocks = _singles = _ranges = 0;
            _writing = true;
        }

        private void Flush()
        {
            if (!_pending) return;
            _pending = false;
            ulong firstTop = (ulong)(_first >> 64), lastTop = (ulong)(_last >> 64);
            if (_first == _last)
            {
                if (_writing)
                {
                    _singleAddresses[_singles] = _first;
                    _singleSets.Set(_singles, _set);
                }
                else _singleIds.Note(_set);
                _singles++;
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
                if (_writing)
                {
                    _rangeFirst[_ranges] = _first;
                    _rangeLast[_ranges] = _last;
                    _rangeSets.Set(_ranges, _set);
                }
                else _rangeIds.Note(_set);
                _ranges++;
            }
        }

        private void AddBlock(ulong key, int set)
        {
            uint top = (uint)(key >> 32);
            if (_groups == 0 || _lastGroupKey != top)
            {
                if (_writing)
                {
                    _groupKeys[_groups] = top;
                    _groupStart[_groups] = _blocks;
                }
                _groups++;
                _lastGroupKey = top;
            }
            if (_writing)
            {
                _blockTails[_blocks] = (uint)key;
                _blockSets.Set(_blocks, set);
            }
            else _blockIds.Note(set);
            _blocks++;
        }

        public Ip6RangeMap ToMap()
        {
            Flush();
            if (!_writing || _groups != _groupKeys.Length || _blocks != _blockTails.Length || _singles != _singleAddresses.Length || _ranges != _rangeFirst.Length)
                throw new InvalidOperationException("the writing pass settled other segments than the counting pass");
            _groupStart[_groups] = _blocks;
            return new Ip6RangeMap(_groupKeys, _groupStart, _blockTails, _blockSets, _singleAddresses, _singleSets, _rangeFirst, _rangeLast, _rangeSets);
        }
    }

    /// <summary>What the counting pass learns about one form's set ids: enough to pick their <see cref="PackedIds"/> width.</summary>
    private struct IdRange
    {
        private int _max, _first;
        private bool _any, _mixed;

        public void Note(int id)
        {
            if (!_any) (_any, _first) = (true, id);
            else _mixed |= id != _first;
            if (id > _max) _max = id;
        }

        public readonly PackedIds Allocate(int count) => PackedIds.Allocate(count, _max, _mixed ? -1 : _first);
    }
}
