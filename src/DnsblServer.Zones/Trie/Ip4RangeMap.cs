namespace DnsblServer.Zones.Trie;

/// <summary>
/// The compact IP-range trie: an immutable map from an IPv4 address to a value-set id (0 = none),
/// built once per load and read by any number of threads without locks.
/// <para>
/// Two disjoint parts. Single addresses, by far the most numerous in real lists, are a two-level
/// trie: a 65,536-way first level on the top 16 bits, then a sorted array of the low 16 bits
/// (2 bytes) with their set ids packed next to them (0-4 bytes; nothing when all share one set).
/// Ranges stay ranges: one (first, last, set) triple however many addresses they cover, so a /20
/// is one entry, not 4,096 or 16. rbldnsd's ip4set instead spends 16 bytes per address or /24 block.
/// </para>
/// </summary>
public sealed class Ip4RangeMap : IRangeIntersects<uint>
{
    private const int BucketBits = 16;

    private readonly int[]? _bucketStart;   // 65,537 offsets into _singleLow; null when there are no singles
    private readonly ushort[] _singleLow;    // the first _singleCount are used: a build may hand over a slightly longer buffer
    private readonly int _singleCount;
    private readonly PackedIds _singleSets;
    private readonly uint[] _rangeFirst;
    private readonly uint[] _rangeLast;
    private readonly PackedIds _rangeSets;
    private readonly int[]? _rangeBucketStart; // per /16: the first range that ends in or after it; null for few ranges

    // Below this many ranges a plain binary search is as fast as the index, and the index's 256 KB would dominate.
    private const int RangeIndexThreshold = 64;

    /// <summary>An empty map.</summary>
    public static Ip4RangeMap Empty { get; } = new([], 0, null, default, [], [], default);

    /// <summary>Builds the map from prepared parts (taking ownership of the arrays): the singles' low 16 bits and bucket offsets, and the ranges.</summary>
    internal Ip4RangeMap(ushort[] singleLow, int singleCount, int[]? bucketStart, PackedIds singleSets, uint[] rangeFirst, uint[] rangeLast, PackedIds rangeSets)
    {
        _singleLow = singleLow;
        _singleCount = singleCount;
        _bucketStart = singleCount > 0 ? bucketStart : null;
        _singleSets = singleSets;
        _rangeFirst = rangeFirst;
        _rangeLast = rangeLast;
        _rangeSets = rangeSets;
        if (_rangeFirst.Length >= RangeIndexThreshold)
        {
            _rangeBucketStart = new int[(1 << BucketBits) + 1];
            int r = 0;
            for (int b = 0; b <= 1 << BucketBits; b++)
            {
                ulong bucketFirst = (ulong)b << BucketBits;
                while (r < _rangeLast.Length && _rangeLast[r] < bucketFirst) r++;
                _rangeBucketStart[b] = r;
            }
        }
    }

    /// <summary>The first level of the trie: per /16, where its singles start (one extra entry at the end).</summary>
    internal static int[] NewBucketStarts() => new int[(1 << BucketBits) + 1];

    /// <summary>Counts a single of <paramref name="address"/> into bucket offsets made by <see cref="NewBucketStarts"/> (call <see cref="FinishBucketStarts"/> after the last).</summary>
    internal static void CountBucket(int[] bucketStarts, uint address) => bucketStarts[(address >> BucketBits) + 1]++;

    /// <summary>Turns per-bucket counts into offsets.</summary>
    internal static void FinishBucketStarts(int[] bucketStarts)
    {
        for (int b = 1; b < bucketStarts.Length; b++) bucketStarts[b] += bucketStarts[b - 1];
    }

    /// <summary>Number of single-address entries.</summary>
    public int SingleCount => _singleCount;

    /// <summary>Number of range entries.</summary>
    public int RangeCount => _rangeFirst.Length;

    /// <summary>Bytes held by the map's arrays (what a load costs in memory).</summary>
    public long SizeInBytes =>
        (_bucketStart?.Length ?? 0) * 4L + _singleLow.Length * 2L + _singleSets.SizeInBytes +
        _rangeFirst.Length * 8L + _rangeSets.SizeInBytes + (_rangeBucketStart?.Length ?? 0) * 4L;

    /// <summary>The set id for <paramref name="address"/>, or 0 when nothing covers it.</summary>
    public int Find(uint address)
    {
        int bucket = (int)(address >> BucketBits);
        int[]? buckets = _bucketStart;
        if (buckets is not null)
        {
            int lo = buckets[bucket], count = buckets[bucket + 1] - lo;
            if (count > 0)
            {
                int at = FindInBucket(_singleLow, lo, count, (ushort)address);
                if (at >= 0) return _singleSets[at];
            }
        }
        uint[] firsts = _rangeFirst;
        if (firsts.Length != 0)
        {
            // the last range starting at or before the address, among those that can reach its /16
            int lo = 0, hi = firsts.Length - 1;
            if (_rangeBucketStart is { } index)
            {
                lo = index[bucket];
                hi = Math.Min(index[bucket + 1], firsts.Length - 1);
            }
            int found = -1;
            while (lo <= hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (firsts[mid] <= address) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            if (found >= 0 && _rangeLast[found] >= address) return _rangeSets[found];
        }
        return 0;
    }

    // Addresses in a /16 are spread fairly evenly: interpolate the first probe (see InterpolatedSearch).
    private static int FindInBucket(ushort[] keys, int lo, int count, ushort key) =>
        InterpolatedSearch.Find(keys, lo, count, key, lo + (int)(((uint)key * (uint)count) >> 16));

    /// <summary>True when any listed address lies in [<paramref name="first"/>, <paramref name="last"/>] (for RFC 8020 empty non-terminals).</summary>
    public bool Intersects(uint first, uint last)
    {
        if (_bucketStart is { } buckets)
        {
            int firstBucket = (int)(first >> BucketBits), lastBucket = (int)(last >> BucketBits);
            for (int b = firstBucket; b <= lastBucket; b++)
            {
                int lo = buckets[b], hi = buckets[b + 1];
                if (lo == hi) continue;
                ushort min = b == firstBucket ? (ushort)first : (ushort)0;
                ushort max = b == lastBucket ? (ushort)last : ushort.MaxValue;
                int at = _singleLow.AsSpan(lo, hi - lo).BinarySearch(min);
                if (at >= 0) return true;
                at = ~at;
                if (at < hi - lo && _singleLow[lo + at] <= max) return true;
            }
        }
        uint[] firsts = _rangeFirst;
        int found = -1, l = 0, h = firsts.Length - 1;
        while (l <= h)
        {
            int mid = (int)((uint)(l + h) >> 1);
            if (firsts[mid] <= last) { found = mid; l = mid + 1; }
            else h = mid - 1;
        }
        return found >= 0 && _rangeLast[found] >= first;
    }

    /// <summary>Every entry in address order: (first, last, set id). For dumps and tests.</summary>
    public IEnumerable<(uint First, uint Last, int Set)> Entries()
    {
        int single = 0, range = 0;
        while (single < _singleCount || range < _rangeFirst.Length)
        {
            uint singleAddress = single < _singleCount ? SingleAddress(single) : uint.MaxValue;
            if (range < _rangeFirst.Length && (single >= _singleCount || _rangeFirst[range] < singleAddress))
            {
                yield return (_rangeFirst[range], _rangeLast[range], _rangeSets[range]);
                range++;
            }
            else
            {
                yield return (singleAddress, singleAddress, _singleSets[single]);
                single++;
            }
        }
    }

    private uint SingleAddress(int index)
    {
        // the bucket holding index: the last bucket whose start is <= index
        int lo = 0, hi = (1 << BucketBits) - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (_bucketStart![mid] <= index) lo = mid;
            else hi = mid - 1;
        }
        return ((uint)lo << BucketBits) | _singleLow[index];
    }
}
