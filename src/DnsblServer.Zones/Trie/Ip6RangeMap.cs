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
/// </summary>
public sealed class Ip6RangeMap : IRangeIntersects<UInt128>
{
    private readonly uint[] _groupKeys;     // distinct top 32 bits of the blocks, ascending
    private readonly int[] _groupStart;     // group g's tails are _blockTails[_groupStart[g] .. _groupStart[g + 1]]
    private readonly uint[] _blockTails;    // groups 3 and 4 of each block's address (the low half of its /64 prefix)
    private readonly PackedIds _blockSets;
    private readonly UInt128[] _singles;
    private readonly PackedIds _singleSets;
    private readonly UInt128[] _rangeFirst;
    private readonly UInt128[] _rangeLast;
    private readonly PackedIds _rangeSets;
    private readonly UInt128[]? _singleSamples;  // every 32nd single (null when few), searched first: see SampleShift
    private readonly UInt128[]? _rangeSamples;   // the same for the ranges' first addresses

    // With 125,000 singles a plain binary search touches ~17 cache lines, most of them cold; searching
    // the samples first (8 KB per 16,000 entries, warm) leaves one 32-entry stretch (8 lines) to search.
    private const int SampleShift = 5;

    /// <summary>An empty map.</summary>
    public static Ip6RangeMap Empty { get; } = new([], [0], [], [], [], [], [], [], []);

    /// <summary>Builds the map from prepared, sorted parts (taking ownership of the arrays).</summary>
    internal Ip6RangeMap(uint[] groupKeys, int[] groupStart, uint[] blockTails, ReadOnlySpan<int> blockSets,
        UInt128[] singles, ReadOnlySpan<int> singleSets, UInt128[] rangeFirst, UInt128[] rangeLast, ReadOnlySpan<int> rangeSets)
    {
        _groupKeys = groupKeys;
        _groupStart = groupStart;
        _blockTails = blockTails;
        _blockSets = PackedIds.Create(blockSets);
        _singles = singles;
        _singleSets = PackedIds.Create(singleSets);
        _rangeFirst = rangeFirst;
        _rangeLast = rangeLast;
        _rangeSets = PackedIds.Create(rangeSets);
        _singleSamples = Samples(singles);
        _rangeSamples = Samples(rangeFirst);
    }

    /// <summary>Number of /64 block entries.</summary>
    public int BlockCount => _blockTails.Length;

    /// <summary>Number of single-address (/128) entries.</summary>
    public int SingleCount => _singles.Length;

    /// <summary>Number of range entries.</summary>
    public int RangeCount => _rangeFirst.Length;

    /// <summary>Bytes held by the map's arrays (what a load costs in memory).</summary>
    public long SizeInBytes =>
        _groupKeys.Length * 4L + _groupStart.Length * 4L + _blockTails.Length * 4L + _blockSets.SizeInBytes +
        _singles.Length * 16L + _singleSets.SizeInBytes +
        _rangeFirst.Length * 32L + _rangeSets.SizeInBytes +
        ((_singleSamples?.Length ?? 0) + (_rangeSamples?.Length ?? 0)) * 16L;

    /// <summary>The set id for <paramref name="address"/>, or 0 when nothing covers it.</summary>
    public int Find(UInt128 address)
    {
        ulong top64 = (ulong)(address >> 64);
        if (_blockTails.Length != 0)
        {
            int group = _groupKeys.AsSpan().BinarySearch((uint)(top64 >> 32));
            if (group >= 0)
            {
                int lo = _groupStart[group];
                int at = FindTail(_blockTails, lo, _groupStart[group + 1] - lo, (uint)top64);
                if (at >= 0) return _blockSets[at];
            }
        }
        if (_singles.Length != 0)
        {
            int at = LastAtOrBefore(_singles, _singleSamples, address);
            if (at >= 0 && _singles[at] == address) return _singleSets[at];
        }
        if (_rangeFirst.Length != 0)
        {
            int found = LastAtOrBefore(_rangeFirst, _rangeSamples, address);
            if (found >= 0 && _rangeLast[found] >= address) return _rangeSets[found];
        }
        return 0;
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
            int at = LastAtOrBefore(_singles, _singleSamples, first);
            if (at < 0 || _singles[at] != first) at++;
            if (at < _singles.Length && _singles[at] <= last) return true;
        }
        int found = LastAtOrBefore(_rangeFirst, _rangeSamples, last);
        return found >= 0 && _rangeLast[found] >= first;
    }

    /// <summary>Every entry in address order: (first, last, set id). For dumps and tests.</summary>
    public IEnumerable<(UInt128 First, UInt128 Last, int Set)> Entries()
    {
        int block = 0, group = 0, single = 0, range = 0;
        while (block < _blockTails.Length || single < _singles.Length || range < _rangeFirst.Length)
        {
            bool haveBlock = block < _blockTails.Length, haveSingle = single < _singles.Length, haveRange = range < _rangeFirst.Length;
            while (haveBlock && _groupStart[group + 1] <= block) group++;
            UInt128 blockFirst = haveBlock ? (UInt128)(((ulong)_groupKeys[group] << 32) | _blockTails[block]) << 64 : default;
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

    // True when some block's /64 (its top 64 bits) lies in [from, to].
    private bool AnyBlockBetween(ulong from, ulong to)
    {
        int group = _groupKeys.AsSpan().BinarySearch((uint)(from >> 32));
        if (group >= 0)
        {
            int lo = _groupStart[group], count = _groupStart[group + 1] - lo;
            int at = _blockTails.AsSpan(lo, count).BinarySearch((uint)from);
            if (at < 0) at = ~at;
            if (at < count) return (((ulong)_groupKeys[group] << 32) | _blockTails[lo + at]) <= to;
            group++;
        }
        else
        {
            group = ~group;
        }
        // the first block of the next group
        return group < _groupKeys.Length && (((ulong)_groupKeys[group] << 32) | _blockTails[_groupStart[group]]) <= to;
    }

    // The /64s of a /32 are spread fairly evenly over its 2^32 tails: interpolate the first probe (see InterpolatedSearch).
    private static int FindTail(uint[] keys, int lo, int count, uint key) =>
        InterpolatedSearch.Find(keys, lo, count, key, lo + (int)(((ulong)key * (uint)count) >> 32));

    private static UInt128[]? Samples(UInt128[] keys)
    {
        if (keys.Length < 8 << SampleShift) return null;
        var samples = new UInt128[((keys.Length - 1) >> SampleShift) + 1];
        for (int i = 0; i < samples.Length; i++) samples[i] = keys[i << SampleShift];
        return samples;
    }

    // The index of the last key at or before `value` (-1 when none), through the samples when there are any.
    private static int LastAtOrBefore(UInt128[] keys, UInt128[]? samples, UInt128 value)
    {
        int lo = 0, hi = keys.Length - 1;
        if (samples is not null)
        {
            int sample = LastAtOrBefore(samples, 0, samples.Length - 1, value);
            if (sample < 0) return -1;
            lo = sample << SampleShift;
            hi = Math.Min(hi, lo + (1 << SampleShift) - 1);
        }
        return LastAtOrBefore(keys, lo, hi, value);
    }

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
