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
/// Turns overlapping entries into the disjoint segments of an <see cref="Ip4RangeMap"/> with one
/// sweep over the entries sorted by first address: at every point where an entry starts or ends,
/// the entries covering the point settle its value set by the dataset's <see cref="OverlapRule"/>.
/// Adjacent segments with the same set are merged, so a range split by rbldnsd's octet levels
/// becomes one range again.
/// </summary>
internal static class Ip4RangeMapBuilder
{
    /// <summary>Builds the map. <paramref name="onDuplicate"/> hears (kept, dropped) for identical prefixes under <see cref="OverlapRule.LongestPrefix"/>.</summary>
    public static Ip4RangeMap Build(List<Ip4Entry> entries, OverlapRule rule, ValueSetBuilder sets, Action<Ip4Entry, Ip4Entry>? onDuplicate = null)
    {
        int n = entries.Count;
        int[] order = SortByFirst(entries);
        var segments = new SegmentWriter(n);
        var active = new List<int>();
        var scratch = new List<int>();
        ulong pos = 0;
        int next = 0;
        while (next < n || active.Count > 0)
        {
            if (active.Count == 0) pos = entries[order[next]].First;
            while (next < n && entries[order[next]].First == pos)
            {
                int added = order[next++];
                if (rule == OverlapRule.LongestPrefix && onDuplicate is not null) ReportDuplicate(entries, active, added, onDuplicate);
                active.Add(added);
            }
            ulong nextStart = next < n ? entries[order[next]].First : ulong.MaxValue;
            ulong end = nextStart - 1;
            foreach (int a in active) end = Math.Min(end, entries[a].Last);

            int set = rule == OverlapRule.UnionAtTopRank ? UnionAtTopRank(entries, active, sets, scratch) : LongestPrefix(entries, active, sets);
            if (set != 0) segments.Add((uint)pos, (uint)end, set);

            pos = end + 1;
            int kept = 0;
            for (int k = 0; k < active.Count; k++)
            {
                if (entries[active[k]].Last >= pos) active[kept++] = active[k];
            }
            active.RemoveRange(kept, active.Count - kept);
        }
        return segments.ToMap();
    }

    private static int UnionAtTopRank(List<Ip4Entry> entries, List<int> active, ValueSetBuilder sets, List<int> scratch)
    {
        if (active.Count == 1)
        {
            int value = entries[active[0]].Value;
            return value == Ip4Entry.Exclusion ? 0 : sets.ForValue(value);
        }
        byte top = 0;
        foreach (int a in active) top = Math.Max(top, entries[a].Rank);
        scratch.Clear();
        foreach (int a in active)
        {
            var entry = entries[a];
            if (entry.Rank != top) continue;
            if (entry.Value == Ip4Entry.Exclusion) return 0;
            if (!scratch.Contains(entry.Value)) scratch.Add(entry.Value);
        }
        scratch.Sort(); // value ids follow first appearance in the files
        return sets.ForValues(scratch);
    }

    private static int LongestPrefix(List<Ip4Entry> entries, List<int> active, ValueSetBuilder sets)
    {
        int best = active[0];
        foreach (int a in active)
        {
            var entry = entries[a];
            var current = entries[best];
            if (entry.Rank > current.Rank || (entry.Rank == current.Rank && a < best)) best = a; // same prefix: the first line wins
        }
        int value = entries[best].Value;
        return value == Ip4Entry.Exclusion ? 0 : sets.ForValue(value);
    }

    private static void ReportDuplicate(List<Ip4Entry> entries, List<int> active, int added, Action<Ip4Entry, Ip4Entry> onDuplicate)
    {
        var entry = entries[added];
        foreach (int a in active)
        {
            var other = entries[a];
            if (other.First == entry.First && other.Last == entry.Last)
            {
                onDuplicate(other, entry); // entries are in file order: the one already active came first
                return;
            }
        }
    }

    // Entry indices by (first address, file order). Zone files are usually sorted already: then no sort at all.
    private static int[] SortByFirst(List<Ip4Entry> entries)
    {
        int n = entries.Count;
        var order = new int[n];
        bool sorted = true;
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            if (i > 0 && entries[i].First < entries[i - 1].First) sorted = false;
        }
        if (sorted) return order;
        var keys = new ulong[n];
        for (int i = 0; i < n; i++) keys[i] = ((ulong)entries[i].First << 32) | (uint)i;
        Array.Sort(keys);
        for (int i = 0; i < n; i++) order[i] = (int)(uint)keys[i];
        return order;
    }

    /// <summary>Collects segments, merging neighbours with the same set, and splits them into singles and ranges.</summary>
    private sealed class SegmentWriter(int capacity)
    {
        private readonly List<uint> _first = new(capacity);
        private readonly List<uint> _last = new(capacity);
        private readonly List<int> _set = new(capacity);

        public void Add(uint first, uint last, int set)
        {
            int n = _first.Count;
            if (n > 0 && _set[n - 1] == set && _last[n - 1] != uint.MaxValue && _last[n - 1] + 1 == first)
            {
                _last[n - 1] = last;
                return;
            }
            _first.Add(first);
            _last.Add(last);
            _set.Add(set);
        }

        public Ip4RangeMap ToMap()
        {
            var singles = new List<uint>();
            var singleSets = new List<int>();
            var rangeFirst = new List<uint>();
            var rangeLast = new List<uint>();
            var rangeSets = new List<int>();
            for (int i = 0; i < _first.Count; i++)
            {
                if (_first[i] == _last[i])
                {
                    singles.Add(_first[i]);
                    singleSets.Add(_set[i]);
                }
                else
                {
                    rangeFirst.Add(_first[i]);
                    rangeLast.Add(_last[i]);
                    rangeSets.Add(_set[i]);
                }
            }
            return new Ip4RangeMap(
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(singles),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(singleSets),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rangeFirst),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rangeLast),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rangeSets));
        }
    }
}
