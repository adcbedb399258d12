namespace DnsblServer.Zones.Trie;

/// <summary>
/// The IPv6 counterpart of <see cref="Ip4RangeMap"/>: an immutable map from an address to a
/// value-set id (0 = none), built once per load, read by any number of threads without locks,
/// and searched without allocating.
/// <para>
/// Every stretch of addresses is settled at build time into disjoint segments, stored in the
/// cheapest of three forms:
/// <list type="bullet">
/// <item><b>/64 blocks</b>, what IPv6 lists mostly hold: a sorted array of the distinct top 32 bits,
/// then per /32 a sorted run of the next 32 bits. A /64 costs 4 bytes plus its set id (nothing when
/// every block shares one set), against rbldnsd's 8 (ip6tset) or a trie node (ip6trie).</item>
/// <item><b>Single addresses</b> (/128): a sorted array of 16-byte addresses.</item>
/// <item><b>Ranges</b>: everything else (a /48, a /64 with holes cut by exclusions, a run of more
/// than <see cref="Ip6RangeMapBuilder.MaxBlocksPerSegment"/> adjacent /64s with one set) as
/// (first, last) pairs; a range is one entry however many addresses it covers.</item>
/// </list>
/// Since the segments are disjoint, a lookup asks each form in turn and the first hit is the answer.
/// </para>
/// <para>
/// One index on the top 32 bits serves all three forms: the sorted distinct /32s holding a block, a
/// single or the start of a range, and per /32 where its blocks, singles and ranges begin. A lookup
/// finds its /32 once and searches only that /32's few entries of each form; an address outside every
/// listed /32 (most misses) stops there. Ranges reaching past the /32 they start in (a /16, a long run
/// of /64s) are also listed apart, and searched when the /32's own entries do not answer.
/// </para>
/// </summary>
public sealed class Ip6RangeMap : IRangeIntersects<UInt128>
{
    private readonly uint[] _topKeys;       // distinct top 32 bits of every block, single and range start, ascending
    private readonly int[] _starts;         // per /32 g from [Stride * g]: its first block, then first single and first range when there are any
    private readonly int _stride;           // 1 to 3: a blocks-only map (ip6tset) keeps one start per /32
    private readonly int _singleAt;         // offset of the singles' start in a stride (0: no singles)
    private readonly int _rangeAt;          // the same for ranges
    private readonly int[] _wide;           // the ranges that reach past their first /32, ascending (indexes into _rangeFirst)
    private readonly uint[] _blockTails;    // groups 3 and 4 of each block's address (the low half of its /64 prefix)
    private readonly PackedIds _blockSets;
    private readonly UInt128[] _singles;
    private readonly PackedIds _singleSets;
    private readonly UInt128[] _rangeFirst;
    private readonly UInt128[] _rangeLast;
    private readonly PackedIds _rangeSets;

    /// <summary>An empty map.</summary>
    public static Ip6RangeMap Empty { get; } = new([], [0], [], default, [], default, [], [], default);

    /// <summary>Builds the map from prepared, sorted parts (taking ownership of the arrays).</summary>
    internal Ip6RangeMap(uint[] groupKeys, int[] groupStart, uint[] blockTails, PackedIds blockSets,
        UInt128[] singles, PackedIds singleSets, UInt128[] rangeFirst, UInt128[] rangeLast, PackedIds rangeSets)
    {
        _blockTails = blockTails;
        _blockSets = blockSets;
        _singles = singles;
        _singleSets = singleSets;
        _rangeFirst = rangeFirst;
        _rangeLast = rangeLast;
        _rangeSets = rangeSets;
        _singleAt = singles.Length != 0 ? 1 : 0;
        _rangeAt = rangeFirst.Length != 0 ? 1 + _singleAt : 0;
        _stride = 1 + _singleAt + (_rangeAt != 0 ? 1 : 0);
        (_topKeys, _starts) = Index(groupKeys, groupStart, singles, rangeFirst, _stride);
        _wide = Wide(rangeFirst, rangeLast);
    }

    // The /32 index over the three sorted forms: a merge of their distinct top 32 bits.
    private static (uint[] Keys, int[] Starts) Index(uint[] groupKeys, int[] groupStart, UInt128[] singles, UInt128[] rangeFirst, int stride)
    {
        var keys = new List<uint>(groupKeys.Length + 16);
        int g = 0, s = 0, r = 0;
        while (g < groupKeys.Length || s < singles.Length || r < rangeFirst.Length)
        {
            uint key = uint.MaxValue;
            if (g < groupKeys.Length) key = groupKeys[g];
            if (s < singles.Length) key = Math.Min(key, Top32(singles[s]));
            if (r < rangeFirst.Length) key = Math.Min(key, Top32(rangeFirst[r]));
            keys.Add(key);
            if (g < groupKeys.Length && groupKeys[g] == key) g++;
            while (s < singles.Length && Top32(singles[s]) == key) s++;
            while (r < rangeFirst.Length && Top32(rangeFirst[r]) == key) r++;
        }
        var starts = new int[stride * (keys.Count + 1)];
        g = s = r = 0;
        for (int k = 0; ; k++)
        {
            int at = stride * k;
            starts[at++] = groupStart[g];
            if (singles.Length != 0) starts[at++] = s;
            if (rangeFirst.Length != 0) starts[at] = r;
            if (k == keys.Count) break;
            uint key = keys[k];
            if (g < groupKeys.Length && groupKeys[g] == key) g++;
            while (s < singles.Length && Top32(singles[s]) == key) s++;
            while (r < rangeFirst.Length && Top32(rangeFirst[r]) == key) r++;
        }
        return ([.. keys], starts);
    }

    private static int[] Wide(UInt128[] rangeFirst, UInt128[] rangeLast)
    {
        int count = 0;
        for (int i = 0; i < rangeFirst.Length; i++) if (Top32(rangeFirst[i]) != Top32(rangeLast[i])) count++;
        if (count == 0) return [];
        var wide = new int[count];
        count = 0;
        for (int i = 0; i < rangeFirst.Length; i++) if (Top32(rangeFirst[i]) != Top32(rangeLast[i])) wide[count++] = i;
        return wide;
    }

    private static uint Top32(UInt128 address) => (uint)(address >> 96);

    /// <summary>Number of /64 block entries.</summary>
    public int BlockCount => _blockTails.Length;

    /// <summary>Number of single-address (/128) entries.</summary>
    public int SingleCount => _singles.Length;

    /// <summary>Number of range entries.</summary>
    public int RangeCount => _rangeFirst.Length;

    /// <summary>Bytes held by the map's arrays (what a load costs in memory).</summary>
    public long SizeInBytes =>
        _topKeys.Length * 4L + _starts.Length * 4L + _wide.Length * 4L + _blockTails.Length * 4L + _blockSets.SizeInBytes +
        _singles.Length * 16L + _singleSets.SizeInBytes +
        _rangeFirst.Length * 32L + _rangeSets.SizeInBytes;

    /// <summary>The set id for <paramref name="address"/>, or 0 when nothing covers it.</summary>
    public int Find(UInt128 address)
    {
        ulong top64 = (ulong)(address >> 64);
        int g = _topKeys.AsSpan().BinarySearch((uint)(top64 >> 32));
        if (g >= 0)
        {
            int stride = _stride;
            ReadOnlySpan<int> at = _starts.AsSpan(stride * g, 2 * stride); // this /32's starts, then the next one's
            int lo = at[0], count = at[stride] - lo;
            if (count != 0)
            {
                int found = FindTail(_blockTails, lo, count, (uint)top64);
                if (found >= 0) return _blockSets[found];
            }
            int offset = _singleAt;
            if (offset != 0 && at[stride + offset] != (lo = at[offset]))
            {
                int found = LastAtOrBefore(_singles, lo, at[stride + offset] - 1, address);
                if (found >= lo && _singles[found] == address) return _singleSets[found];
            }
            offset = _rangeAt;
            if (offset != 0 && at[stride + offset] != (lo = at[offset]))
            {
                int found = LastAtOrBefore(_rangeFirst, lo, at[stride + offset] - 1, address);
                // a range starting here that does not reach the address means no earlier one does either
                if (found >= lo) return _rangeLast[found] >= address ? _rangeSets[found] : 0;
            }
        }
        return _wide.Length == 0 ? 0 : FindWide(address);
    }

    // A range from an earlier /32 reaching this address (rare: a /16, a long run of /64s).
    private int FindWide(UInt128 address)
    {
        int lo = 0, hi = _wide.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (_rangeFirst[_wide[mid]] <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0) return 0;
        int range = _wide[found];
        return _rangeLast[range] >= address ? _rangeSets[range] : 0;
    }

    /// <summary>True when any listed address lies in [<paramref name="first"/>, <paramref name="last"/>] (for RFC 8020 empty non-terminals).</summary>
    public bool Intersects(UInt128 first, UInt128 last)
    {
        if (first > last) return false;
        // a block covers all of its /64, so it meets the span when its /64 lies between the span's
        if (_blockTails.Length != 0 && AnyBlockBetween((ulong)(first >> 64), (ulong)(last >> 64))) return true;
        if (_singles.Length != 0)
        {
            // the first single at or after `first`
            int at = LastAtOrBefore(_singles, 0, _singles.Length - 1, first);
            if (at < 0 || _singles[at] != first) at++;
            if (at < _singles.Length && _singles[at] <= last) return true;
        }
        int found = LastAtOrBefore(_rangeFirst, 0, _rangeFirst.Length - 1, last);
        return found >= 0 && _rangeLast[found] >= first;
    }

    /// <summary>Every entry in address order: (first, last, set id). For dumps and tests.</summary>
    public IEnumerable<(UInt128 First, UInt128 Last, int Set)> Entries()
    {
        int block = 0, group = 0, single = 0, range = 0;
        while (block < _blockTails.Length || single < _singles.Length || range < _rangeFirst.Length)
        {
            bool haveBlock = block < _blockTails.Length, haveSingle = single < _singles.Length, haveRange = range < _rangeFirst.Length;
            while (haveBlock && BlockStart(group + 1) <= block) group++;
            UInt128 blockFirst = haveBlock ? (UInt128)(((ulong)_topKeys[group] << 32) | _blockTails[block]) << 64 : default;
            UInt128 singleFirst = haveSingle ? _singles[single] : default;
            UInt128 rangeFirst = haveRange ? _rangeFirst[range] : default;
            if (haveBlock && (!haveSingle || blockFirst < singleFirst) && (!haveRange || blockFirst < rangeFirst))
            {
                yield return (blockFirst, blockFirst | ulong.MaxValue, _blockSets[block]);
                block++;
            }
            else if (haveSingle && (!haveRange || singleFirst < rangeFirst))
            {
                yield return (singleFirst, singleFirst, _singleSets[single]);
                single++;
            }
            else
            {
                yield return (rangeFirst, _rangeLast[range], _rangeSets[range]);
                range++;
            }
        }
    }

    private int BlockStart(int g) => _starts[_stride * g];

    // True when some block's /64 (its top 64 bits) lies in [from, to].
    private bool AnyBlockBetween(ulong from, ulong to)
    {
        int g = _topKeys.AsSpan().BinarySearch((uint)(from >> 32));
        int at; // the first block at or after `from`
        if (g >= 0)
        {
            int lo = BlockStart(g), count = BlockStart(g + 1) - lo;
            int i = _blockTails.AsSpan(lo, count).BinarySearch((uint)from);
            at = lo + (i < 0 ? ~i : i);
        }
        else
        {
            g = ~g;
            at = BlockStart(g);
        }
        if (at >= _blockTails.Length) return false;
        // its /32: the last one whose blocks start at or before it
        int left = Math.Max(g, 0), right = _topKeys.Length - 1;
        while (left < right)
        {
            int mid = (int)((uint)(left + right + 1) >> 1);
            if (BlockStart(mid) <= at) left = mid;
            else right = mid - 1;
        }
        return (((ulong)_topKeys[left] << 32) | _blockTails[at]) <= to;
    }

    // The /64s of a /32 are spread fairly evenly over its 2^32 tails: interpolate the first probe (see InterpolatedSearch).
    private static int FindTail(uint[] keys, int lo, int count, uint key) =>
        InterpolatedSearch.Find(keys, lo, count, key, lo + (int)(((ulong)key * (uint)count) >> 32));

    private static int LastAtOrBefore(UInt128[] keys, int lo, int hi, UInt128 value)
    {
        int found = lo - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (keys[mid] <= value) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
