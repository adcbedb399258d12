using DnsblServer.Addressing;
namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>
/// The IPv6 part of an ACL: nested prefixes flattened into sorted disjoint ranges, each with the set
/// of its longest covering prefix, so a lookup is one binary search. ACLs hold a handful of IPv6
/// prefixes, so this small structure (as in ExemptDataset) beats a trie; 36 bytes per range.
/// </summary>
internal sealed class AclIp6Ranges
{
    private readonly UInt128[] _first;
    private readonly UInt128[] _last;
    private readonly int[] _sets;

    private AclIp6Ranges(UInt128[] first, UInt128[] last, int[] sets)
    {
        _first = first;
        _last = last;
        _sets = sets;
    }

    /// <summary>An ACL without IPv6 entries.</summary>
    public static AclIp6Ranges Empty { get; } = new([], [], []);

    /// <summary>Number of disjoint ranges.</summary>
    public int Count => _first.Length;

    /// <summary>Bytes held.</summary>
    public long SizeInBytes => _first.Length * 36L;

    /// <summary>The set of the longest prefix covering <paramref name="address"/>, or 0.</summary>
    public int Find(UInt128 address)
    {
        UInt128[] firsts = _first;
        int lo = 0, hi = firsts.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (firsts[mid] <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 && _last[found] >= address ? _sets[found] : 0;
    }

    /// <summary>The ranges in address order (for tests and dumps).</summary>
    public IEnumerable<(UInt128 First, UInt128 Last, int Set)> Entries()
    {
        for (int i = 0; i < _first.Length; i++) yield return (_first[i], _last[i], _sets[i]);
    }

    /// <summary>
    /// Flattens distinct prefixes (no two with the same first address and length), each with a
    /// non-zero set. Prefixes are either nested or disjoint, so one sweep in (first address, length)
    /// order with a stack of open prefixes settles every stretch: the innermost open prefix owns it.
    /// </summary>
    public static AclIp6Ranges Build(List<(UInt128 First, int Bits, int Set)> prefixes)
    {
        if (prefixes.Count == 0) return Empty;
        prefixes.Sort((a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Bits.CompareTo(b.Bits));
        var output = new Writer();
        var open = new Stack<(UInt128 Last, int Set)>();
        UInt128 cursor = 0;      // first address not yet written
        bool done = false;       // the cursor passed the last address
        foreach (var (first, bits, set) in prefixes)
        {
            while (open.Count > 0 && open.Peek().Last < first)
            {
                var closed = open.Pop();
                if (!done && cursor <= closed.Last) output.Add(cursor, closed.Last, closed.Set);
                Advance(ref cursor, ref done, closed.Last);
            }
            if (open.Count > 0 && !done && cursor < first) output.Add(cursor, first - 1, open.Peek().Set);
            cursor = first;
            done = false;
            open.Push((first | ~Ip6Text.Mask(bits), set));
        }
        while (open.Count > 0)
        {
            var closed = open.Pop();
            if (!done && cursor <= closed.Last) output.Add(cursor, closed.Last, closed.Set);
            Advance(ref cursor, ref done, closed.Last);
        }
        return output.ToRanges();
    }

    private static void Advance(ref UInt128 cursor, ref bool done, UInt128 last)
    {
        if (done || last < cursor) return;
        if (last == UInt128.MaxValue) done = true;
        else cursor = last + 1;
    }

    private sealed class Writer
    {
        private readonly List<UInt128> _first = [];
        private readonly List<UInt128> _last = [];
        private readonly List<int> _sets = [];

        public void Add(UInt128 first, UInt128 last, int set)
        {
            int n = _first.Count;
            if (n > 0 && _sets[n - 1] == set && _last[n - 1] + 1 == first)
            {
                _last[n - 1] = last; // touching stretches of one set are one range
                return;
            }
            _first.Add(first);
            _last.Add(last);
            _sets.Add(set);
        }

        public AclIp6Ranges ToRanges() => new([.. _first], [.. _last], [.. _sets]);
    }
}
