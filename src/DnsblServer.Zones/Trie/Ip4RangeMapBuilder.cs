using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Trie;

/// <summary>How overlapping entries are settled at an address.</summary>
internal enum OverlapRule
{
    /// <summary>ip4set: the highest rank (most specific octet level) with any entry decides; all its values are returned; an exclusion at that rank wins.</summary>
    UnionAtTopRank,

    /// <summary>ip4trie: the longest prefix decides; of identical prefixes the first one wins; an exclusion means not listed.</summary>
    LongestPrefix,
}

/// <summary>
/// Turns a dataset's entries into the disjoint segments of an <see cref="Ip4RangeMap"/>.
/// <para>
/// Ranges go through one sweep in address order: at every point where a range starts or ends, the
/// ranges covering the point settle its value set by the dataset's <see cref="OverlapRule"/>.
/// Single addresses, most of a real list, skip the sweep: they are ordered (sorted files need
/// nothing), grouped, and laid over the swept ranges, since a /32 is always the most specific
/// entry for its address. Adjacent range segments with the same set are merged, so a range that
/// rbldnsd splits into octet levels is one range again.
/// </para>
/// </summary>
internal static class Ip4RangeMapBuilder
{
    /// <summary>Builds the map. <paramref name="onDuplicate"/> hears (file, line, first address, prefix length) of each dropped duplicate under <see cref="OverlapRule.LongestPrefix"/>.</summary>
    public static Ip4RangeMap Build(Ip4Singles singles, List<Ip4Entry> ranges, OverlapRule rule, ValueSetBuilder sets, Action<ushort, int, uint, int>? onDuplicate = null)
    {
        var swept = SweepRanges(ranges, rule, sets, onDuplicate);
        // Without lines to keep, the singles are sorted in place (sequential reads below) and the sort's scratch of
        // low 16 bits becomes the map's (the reads below are of the addresses); with lines, they are read through an index.
        int[]? order = null;
        ushort[]? reuse = null;
        if (singles.TracksLines) order = StableOrder.ByKey(singles.Addresses);
        else reuse = singles.SortByAddress();
        var output = new SegmentWriter(singles.Count, swept.Count, reuse);
        var addresses = singles.Addresses;
        var group = new List<int>();
        var scratch = new List<int>();
        int segment = 0;
        ulong pending = swept.Count > 0 ? swept[0].First : 0; // start of the part of swept[segment] not yet written

        int i = 0;
        while (i < addresses.Length)
        {
            int index = order is null ? i : order[i];
            uint address = addresses[index];
            group.Clear();
            group.Add(index);
            for (i++; i < addresses.Length && addresses[order is null ? i : order[i]] == address; i++) group.Add(order is null ? i : order[i]);

            // ranges before the address
            while (segment < swept.Count && swept[segment].Last < address)
            {
                output.AddRange(pending, swept[segment].Last, swept[segment].Set);
                if (++segment < swept.Count) pending = swept[segment].First;
            }
            SweptSegment? covering = segment < swept.Count && swept[segment].First <= address ? swept[segment] : null;
            if (covering is { } c)
            {
                if (pending < address) output.AddRange(pending, address - 1UL, c.Set);
                pending = address + 1UL;
                if (c.Last == address && ++segment < swept.Count) pending = swept[segment].First;
            }

            int set = rule == OverlapRule.UnionAtTopRank
                ? SingleInUnion(group, singles, covering, sets, scratch)
                : SingleInTrie(group, singles, address, onDuplicate, sets);
            output.AddSingle(address, set);
        }
        for (; segment < swept.Count; segment++)
        {
            output.AddRange(pending, swept[segment].Last, swept[segment].Set);
            if (segment + 1 < swept.Count) pending = swept[segment + 1].First;
        }
        return output.ToMap();
    }

    // ip4set: a /32 entry is at the top level; /32-level pieces of ranges (such as a /25) share it.
    private static int SingleInUnion(List<int> group, Ip4Singles singles, SweptSegment? covering, ValueSetBuilder sets, List<int> scratch)
    {
        bool shared = covering is { Rank: 32 };
        if (group.Count == 1 && !shared)
        {
            int only = singles.Value(group[0]); // the common case: one line, nothing else at the /32 level
            return only == Ip4Entry.Exclusion ? 0 : sets.ForValue(only);
        }
        scratch.Clear();
        if (covering is { Rank: 32 } c)
        {
            if (c.Excluded) return 0;
            scratch.AddRange(sets.ValuesOf(c.Set));
        }
        foreach (int g in group)
        {
            int value = singles.Value(g);
            if (value == Ip4Entry.Exclusion) return 0;
            if (!scratch.Contains(value)) scratch.Add(value);
        }
        if (scratch.Count == 1) return sets.ForValue(scratch[0]);
        scratch.Sort(); // value ids follow first appearance in the files
        return sets.ForValues(scratch);
    }

    // ip4trie: a /32 is the longest prefix; the first line for it wins, the others are duplicates.
    private static int SingleInTrie(List<int> group, Ip4Singles singles, uint address, Action<ushort, int, uint, int>? onDuplicate, ValueSetBuilder sets)
    {
        if (onDuplicate is not null && singles.TracksLines)
        {
            for (int k = 1; k < group.Count; k++) onDuplicate(singles.File(group[k]), singles.Line(group[k]), address, 32);
        }
        int value = singles.Value(group[0]);
        return value == Ip4Entry.Exclusion ? 0 : sets.ForValue(value);
    }

    /// <summary>A settled stretch of ranges: its set (0 when not listed), the rank that decided it, and whether an exclusion did.</summary>
    private readonly record struct SweptSegment(ulong First, ulong Last, int Set, byte Rank, bool Excluded);

    private static List<SweptSegment> SweepRanges(List<Ip4Entry> entries, OverlapRule rule, ValueSetBuilder sets, Action<ushort, int, uint, int>? onDuplicate)
    {
        var segments = new List<SweptSegment>();
        int n = entries.Count;
        if (n == 0) return segments;
        var firsts = new uint[n];
        for (int k = 0; k < n; k++) firsts[k] = entries[k].First;
        int[]? order = StableOrder.ByKey(firsts);
        var active = new List<int>();
        var scratch = new List<int>();
        ulong pos = 0;
        int next = 0;
        while (next < n || active.Count > 0)
        {
            if (active.Count == 0) pos = entries[At(order, next)].First;
            while (next < n && entries[At(order, next)].First == pos)
            {
                int added = At(order, next++);
                if (rule == OverlapRule.LongestPrefix && onDuplicate is not null) ReportDuplicate(entries, active, added, onDuplicate);
                active.Add(added);
            }
            ulong end = next < n ? entries[At(order, next)].First - 1UL : uint.MaxValue;
            foreach (int a in active) end = Math.Min(end, entries[a].Last);

            segments.Add(rule == OverlapRule.UnionAtTopRank
                ? UnionAtTopRank(entries, active, sets, scratch, pos, end)
                : LongestPrefix(entries, active, sets, pos, end));

            pos = end + 1;
            int kept = 0;
            for (int k = 0; k < active.Count; k++)
            {
                if (entries[active[k]].Last >= pos) active[kept++] = active[k];
            }
            active.RemoveRange(kept, active.Count - kept);
        }
        return segments;
    }

    private static int At(int[]? order, int index) => order is null ? index : order[index];

    private static SweptSegment UnionAtTopRank(List<Ip4Entry> entries, List<int> active, ValueSetBuilder sets, List<int> scratch, ulong first, ulong last)
    {
        byte top = 0;
        foreach (int a in active) top = Math.Max(top, entries[a].Rank);
        scratch.Clear();
        foreach (int a in active)
        {
            var entry = entries[a];
            if (entry.Rank != top) continue;
            if (entry.Value == Ip4Entry.Exclusion) return new SweptSegment(first, last, 0, top, true);
            if (!scratch.Contains(entry.Value)) scratch.Add(entry.Value);
        }
        scratch.Sort(); // value ids follow first appearance in the files
        return new SweptSegment(first, last, sets.ForValues(scratch), top, false);
    }

    private static SweptSegment LongestPrefix(List<Ip4Entry> entries, List<int> active, ValueSetBuilder sets, ulong first, ulong last)
    {
        int best = active[0];
        foreach (int a in active)
        {
            var entry = entries[a];
            var current = entries[best];
            if (entry.Rank > current.Rank || (entry.Rank == current.Rank && a < best)) best = a; // same prefix: the first line wins
        }
        var winner = entries[best];
        bool excluded = winner.Value == Ip4Entry.Exclusion;
        return new SweptSegment(first, last, excluded ? 0 : sets.ForValue(winner.Value), winner.Rank, excluded);
    }

    private static void ReportDuplicate(List<Ip4Entry> entries, List<int> active, int added, Action<ushort, int, uint, int> onDuplicate)
    {
        var entry = entries[added];
        foreach (int a in active)
        {
            var other = entries[a];
            if (other.First == entry.First && other.Last == entry.Last)
            {
                onDuplicate(entry.File, entry.Line, entry.First, entry.Rank); // entries are in file order: the active one came first
                return;
            }
        }
    }

    /// <summary>
    /// Collects the final segments in address order: one-address segments as singles, longer ones as
    /// ranges, merging touching ranges with the same set. Singles go straight into the map's layout
    /// (16-bit tails and per-/16 counts), so a 5M-entry list is not copied again; their set ids are only
    /// kept per entry once two differ (4 B per entry less at the peak of a one-value list).
    /// </summary>
    private sealed class SegmentWriter(int singles, int ranges, ushort[]? buffer)
    {
        private ushort[] _singleLow = buffer is { Length: >= 16 } ? buffer : new ushort[Math.Max(singles, 16)];
        private int[]? _singleSets;      // null while every single has _uniformSet
        private int _uniformSet;
        private readonly int[] _buckets = Ip4RangeMap.NewBucketStarts();
        private int _singleCount;
        private readonly List<uint> _rangeFirst = new(ranges);
        private readonly List<uint> _rangeLast = new(ranges);
        private readonly List<int> _rangeSets = new(ranges);

        public void AddSingle(uint address, int set)
        {
            if (set == 0) return;
            if (_singleCount == _singleLow.Length)
            {
                Array.Resize(ref _singleLow, _singleCount * 2);
                if (_singleSets is not null) Array.Resize(ref _singleSets, _singleCount * 2);
            }
            if (_singleSets is null && set != _uniformSet)
            {
                if (_singleCount == 0) _uniformSet = set;
                else
                {
                    _singleSets = new int[_singleLow.Length];
                    _singleSets.AsSpan(0, _singleCount).Fill(_uniformSet);
                }
            }
            _singleLow[_singleCount] = (ushort)address;
            if (_singleSets is not null) _singleSets[_singleCount] = set;
            _singleCount++;
            Ip4RangeMap.CountBucket(_buckets, address);
        }

        public void AddRange(ulong first, ulong last, int set)
        {
            if (set == 0 || first > last) return;
            if (first == last)
            {
                AddSingle((uint)first, set);
                return;
            }
            int n = _rangeFirst.Count;
            if (n > 0 && _rangeSets[n - 1] == set && _rangeLast[n - 1] + 1UL == first)
            {
                _rangeLast[n - 1] = (uint)last;
                return;
            }
            _rangeFirst.Add((uint)first);
            _rangeLast.Add((uint)last);
            _rangeSets.Add(set);
        }

        public Ip4RangeMap ToMap()
        {
            Ip4RangeMap.FinishBucketStarts(_buckets);
            // a few unused slots (duplicate lines, excluded addresses) cost less than a second copy at the peak
            if (_singleLow.Length - _singleCount > _singleLow.Length / 16) Array.Resize(ref _singleLow, _singleCount);
            var singleSets = _singleSets is null ? PackedIds.Constant(_uniformSet) : PackedIds.Create(_singleSets.AsSpan(0, _singleCount));
            return new Ip4RangeMap(_singleLow, _singleCount, _buckets, singleSets,
                [.. _rangeFirst], [.. _rangeLast], PackedIds.Create(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_rangeSets)));
        }
    }
}
