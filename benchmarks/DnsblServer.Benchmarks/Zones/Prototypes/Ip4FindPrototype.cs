using DnsblServer.Zones.Trie;

namespace DnsblServer.Benchmarks.Zones.Prototypes;

/// <summary>
/// Not the server's code: a copy of <see cref="Ip4RangeMap"/>'s layout, rebuilt from
/// <see cref="Ip4RangeMap.Entries"/>, to measure suggested changes to src/ before anyone makes them.
/// Set ids are left out (the server's are a constant for one-value lists); every variant returns
/// the entry index found, or -1.
/// <list type="bullet">
/// <item><see cref="FindBranchy"/>: today's algorithm (16-bit buckets, branchy binary searches).</item>
/// <item><see cref="FindBranchless"/>: same arrays, branch-free lower-bound searches (masks, no jumps).</item>
/// <item><see cref="FindWide"/>: 20-bit buckets (4 MiB of offsets, about 5 singles per bucket in a 5M set)
/// plus a /16 index into the ranges, both branch-free.</item>
/// <item>Any of them over a rebuild that keeps ranges of a few addresses as singles (constructor's <c>singlesUpTo</c>).</item>
/// <item><see cref="FindFixed"/>: the 20-bit layout with fixed-step branch-free searches (misses of consecutive lookups overlap).</item>
/// <item><see cref="FloorOneRead"/>, <see cref="FloorTwoReads"/>: not lookups; the memory-latency floor of one and two dependent random reads.</item>
/// </list>
/// </summary>
internal sealed class Ip4FindPrototype
{
    private readonly int[] _buckets16;   // 65,537 offsets
    private readonly int[] _buckets20;   // 1,048,577 offsets
    private readonly ushort[] _low16;
    private readonly ushort[] _low12;    // the 20-bit layout needs 12 bits; kept in a ushort
    private readonly uint[] _rangeFirst;
    private readonly uint[] _rangeLast;
    private readonly int[] _rangeIndex16; // for each /16: the last range starting at or before its first address, or -1
    private readonly ushort[] _paddedLow12; // _low12 shifted by one, with a sentinel before and after (fixed-step search reads past the bucket)
    private readonly uint[] _paddedFirst;   // _rangeFirst shifted by one, sentinels likewise
    private readonly int _singleSteps;      // ceil(log2(largest 20-bit bucket + 1))
    private readonly int _rangeSteps;       // same for the candidate ranges of one /16

    /// <summary>Rebuilds the layouts from <paramref name="map"/>.</summary>
    /// <param name="map">The server's map.</param>
    /// <param name="singlesUpTo">Ranges of at most this many addresses are stored as singles instead
    /// (the server merges adjacent listed addresses into ranges, so random singles leave thousands of
    /// 2-address ranges that every miss then has to search).</param>
    public Ip4FindPrototype(Ip4RangeMap map, int singlesUpTo = 1)
    {
        var singles = new List<uint>();
        var firsts = new List<uint>();
        var lasts = new List<uint>();
        foreach (var (first, last, _) in map.Entries())
        {
            if ((ulong)last - first < (ulong)singlesUpTo)
            {
                for (ulong a = first; a <= last; a++) singles.Add((uint)a);
            }
            else
            {
                firsts.Add(first);
                lasts.Add(last);
            }
        }
        _low16 = new ushort[singles.Count];
        _low12 = new ushort[singles.Count];
        _buckets16 = new int[(1 << 16) + 1];
        _buckets20 = new int[(1 << 20) + 1];
        for (int i = 0; i < singles.Count; i++)
        {
            _low16[i] = (ushort)singles[i];
            _low12[i] = (ushort)(singles[i] & 0xFFF);
            _buckets16[(singles[i] >> 16) + 1]++;
            _buckets20[(singles[i] >> 12) + 1]++;
        }
        for (int b = 1; b < _buckets16.Length; b++) _buckets16[b] += _buckets16[b - 1];
        for (int b = 1; b < _buckets20.Length; b++) _buckets20[b] += _buckets20[b - 1];
        _rangeFirst = [.. firsts];
        _rangeLast = [.. lasts];
        _rangeIndex16 = new int[(1 << 16) + 1];
        int r = -1;
        for (int b = 0; b <= 1 << 16; b++)
        {
            ulong start = (ulong)b << 16;
            while (r + 1 < _rangeFirst.Length && _rangeFirst[r + 1] <= start) r++;
            _rangeIndex16[b] = r;
        }

        int maxBucket = 0, maxRanges = 0;
        for (int b = 0; b < 1 << 20; b++) maxBucket = Math.Max(maxBucket, _buckets20[b + 1] - _buckets20[b]);
        for (int b = 0; b < 1 << 16; b++) maxRanges = Math.Max(maxRanges, _rangeIndex16[b + 1] - Math.Max(_rangeIndex16[b], 0) + 1);
        _singleSteps = Steps(maxBucket);
        _rangeSteps = Steps(maxRanges);
        _paddedLow12 = new ushort[_low12.Length + 2 + (1 << _singleSteps)];
        _low12.CopyTo(_paddedLow12, 1);
        _paddedFirst = new uint[_rangeFirst.Length + 2 + (1 << _rangeSteps)];
        _rangeFirst.CopyTo(_paddedFirst, 1);
    }

    private static int Steps(int count) => count <= 1 ? 1 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)count);

    /// <summary>Bytes of the 16-bit layout (what the server holds, without set ids).</summary>
    public long Size16 => _buckets16.Length * 4L + _low16.Length * 2L + _rangeFirst.Length * 8L;

    /// <summary>Bytes of the 20-bit layout, range index included.</summary>
    public long Size20 => _buckets20.Length * 4L + _low12.Length * 2L + _rangeFirst.Length * 8L + _rangeIndex16.Length * 4L;

    /// <summary>Today's search.</summary>
    public int FindBranchy(uint address)
    {
        int bucket = (int)(address >> 16);
        int lo = _buckets16[bucket], hi = _buckets16[bucket + 1] - 1;
        ushort low = (ushort)address;
        ushort[] singles = _low16;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            ushort v = singles[mid];
            if (v == low) return mid;
            if (v < low) lo = mid + 1;
            else hi = mid - 1;
        }
        uint[] firsts = _rangeFirst;
        int l = 0, h = firsts.Length - 1, found = -1;
        while (l <= h)
        {
            int mid = (int)((uint)(l + h) >> 1);
            if (firsts[mid] <= address) { found = mid; l = mid + 1; }
            else h = mid - 1;
        }
        return found >= 0 && _rangeLast[found] >= address ? found : -1;
    }

    /// <summary>Same arrays, branch-free searches.</summary>
    public int FindBranchless(uint address)
    {
        int bucket = (int)(address >> 16);
        int start = _buckets16[bucket];
        int at = LowerBound(_low16, start, _buckets16[bucket + 1] - start, (ushort)address);
        if (at >= 0) return at;
        return FindRange(address, 0, _rangeFirst.Length);
    }

    /// <summary>20-bit buckets and a /16 range index, branch-free.</summary>
    public int FindWide(uint address)
    {
        int bucket = (int)(address >> 12);
        int start = _buckets20[bucket];
        int at = LowerBound(_low12, start, _buckets20[bucket + 1] - start, (ushort)(address & 0xFFF));
        if (at >= 0) return at;
        // ranges that can hold the address: from the last one starting before this /16 to the last one starting before the next
        int b = (int)(address >> 16);
        int from = Math.Max(_rangeIndex16[b], 0), to = _rangeIndex16[b + 1] + 1;
        if (to > _rangeFirst.Length) to = _rangeFirst.Length;
        return to <= from ? -1 : FindRange(address, from, to - from);
    }

    /// <summary>
    /// The 20-bit layout with a fixed number of branch-free steps per search, so no branch depends
    /// on the data and the CPU can overlap the cache misses of consecutive lookups.
    /// </summary>
    public int FindFixed(uint address)
    {
        int bucket = (int)(address >> 12);
        int start = _buckets20[bucket], end = _buckets20[bucket + 1];
        int key = (int)(address & 0xFFF);
        ushort[] low = _paddedLow12;
        int pos = start - 1;                         // the last index known to be <= key; start - 1 = none
        for (int step = 1 << (_singleSteps - 1); step > 0; step >>= 1)
        {
            int candidate = pos + step;
            int take = ((candidate - end) >> 31) & ~((key - low[candidate + 1]) >> 31); // candidate < end && low[candidate] <= key
            pos += step & take;
        }
        int single = pos >= start && low[pos + 1] == key ? pos : -1;

        int b = (int)(address >> 16);
        int from = Math.Max(_rangeIndex16[b], 0), to = Math.Min(_rangeIndex16[b + 1] + 1, _rangeFirst.Length);
        uint[] first = _paddedFirst;
        int r = from - 1;
        for (int step = 1 << (_rangeSteps - 1); step > 0; step >>= 1)
        {
            int candidate = r + step;
            int take = ((candidate - to) >> 31) & ~(int)(((long)address - first[candidate + 1]) >> 63);
            r += step & take;
        }
        int range = r >= from && _rangeLast[r] >= address ? r : -1;
        return single >= 0 ? single : range;
    }

    /// <summary>Floor: one random read from the singles array (what any layout with one miss per lookup costs here).</summary>
    public int FloorOneRead(uint address) => _low16[(int)(((ulong)address * (ulong)_low16.Length) >> 32)];

    /// <summary>Floor: two dependent random reads, bucket offset then singles (the 20-bit layout's minimum).</summary>
    public int FloorTwoReads(uint address) => _low12[Math.Min(_buckets20[address >> 12], _low12.Length - 1)];

    // The index of key in keys[start..start+count), or -1. Each step is arithmetic, not a branch:
    // RyuJIT does not if-convert inside loops (a `c ? a : b` there became a branch, checked with
    // DOTNET_JitDisasm), so the step is a mask from the sign of the difference.
    private static int LowerBound(ushort[] keys, int start, int count, ushort key)
    {
        if (count <= 0) return -1;
        int basePos = start;
        while (count > 1)
        {
            int half = count >> 1;
            int diff = key - keys[basePos + half];      // >= 0 when keys[mid] <= key
            basePos += half & ~(diff >> 31);
            count -= half;
        }
        return keys[basePos] == key ? basePos : -1;
    }

    private int FindRange(uint address, int start, int count)
    {
        uint[] firsts = _rangeFirst;
        if (count <= 0 || firsts[start] > address) return -1;
        int basePos = start;
        while (count > 1)
        {
            int half = count >> 1;
            long diff = (long)address - firsts[basePos + half];
            basePos += half & ~(int)(diff >> 63);
            count -= half;
        }
        return _rangeLast[basePos] >= address ? basePos : -1;
    }
}
