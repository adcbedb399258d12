namespace DnsblServer.Zones.Trie;

/// <summary>
/// Single-address entries while a dataset loads, kept apart from ranges because they are most of
/// a real list: 4 bytes each (the address), plus a value id per entry only once two values differ
/// (a real list mostly shares one default value), plus the line for datasets that warn about
/// duplicates. Grown by doubling from a capacity guessed from the file size.
/// </summary>
internal sealed class Ip4Singles(bool trackLines)
{
    private uint[] _addresses = new uint[1024];
    private int[]? _values;      // null while every entry has _uniformValue: 4 B per entry less at the load's peak
    private int _uniformValue;
    private int[] _lines = trackLines ? new int[1024] : [];
    private ushort[] _files = trackLines ? new ushort[1024] : [];

    public int Count { get; private set; }

    public ReadOnlySpan<uint> Addresses => _addresses.AsSpan(0, Count);

    /// <summary>The value id of entry <paramref name="index"/>.</summary>
    public int Value(int index) => _values is null ? _uniformValue : _values[index];

    public bool TracksLines => trackLines;

    public int Line(int index) => _lines[index];

    public ushort File(int index) => _files[index];

    /// <summary>Makes room for about <paramref name="expected"/> more entries at once (avoids repeated doubling on big files).</summary>
    public void Reserve(long expected)
    {
        long wanted = Count + expected;
        if (wanted > _addresses.Length) Resize((int)Math.Min(wanted, Array.MaxLength));
    }

    public void Add(uint address, int value, int line, ushort file)
    {
        // The same entry again on the next line adds nothing, so memory grows with entries, not lines
        // (a 3.66 MB gzip of 210M copies of one line took 6.5 GB at 31 B a line). Datasets that warn
        // about duplicates (trackLines) keep every copy for the warning.
        if (!trackLines && Count > 0 && _addresses[Count - 1] == address && Value(Count - 1) == value) return;
        if (Count == _addresses.Length) Resize(_addresses.Length * 2);
        if (_values is null && value != _uniformValue)
        {
            if (Count == 0) _uniformValue = value;
            else
            {
                _values = new int[_addresses.Length];
                _values.AsSpan(0, Count).Fill(_uniformValue);
            }
        }
        _addresses[Count] = address;
        if (_values is not null) _values[Count] = value;
        if (trackLines)
        {
            _lines[Count] = line;
            _files[Count] = file;
        }
        Count++;
    }

    /// <summary>
    /// Sorts the entries by address in place, so the build reads them sequentially rather than through an
    /// index (a permutation's random reads into a 4 MB array were half of a 1M-line load). Nothing to do for a
    /// sorted file. No scratch array: one American-flag pass on the top 16 bits (cycles of swaps into the
    /// 65,536 buckets), then each bucket's few entries sorted on their own; a two-array radix sort held 8 more
    /// bytes per entry at the load's peak (40 MB for 5M entries). Equal addresses may change order, which the
    /// union of ip4set and ip4tset's one value do not see; datasets that keep lines (ip4trie, where the first
    /// line wins) are ordered through <see cref="StableOrder"/> instead.
    /// </summary>
    public void SortByAddress()
    {
        if (trackLines) throw new InvalidOperationException("entries with lines are ordered through StableOrder");
        int n = Count;
        Span<uint> keys = _addresses.AsSpan(0, n);
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
        if (sorted) return;
        Span<int> values = _values is null ? default : _values.AsSpan(0, n);

        const int Buckets = 1 << 16;
        var end = new int[Buckets];
        foreach (uint key in keys) end[key >> 16]++;
        var next = new int[Buckets];
        for (int b = 0, at = 0; b < Buckets; b++)
        {
            next[b] = at;
            at += end[b];
            end[b] = at;
        }
        for (int b = 0; b < Buckets; b++)
        {
            while (next[b] < end[b])
            {
                // carry the entry at next[b] to its bucket, taking the one there along, until one belongs here
                uint key = keys[next[b]];
                int value = values.IsEmpty ? 0 : values[next[b]];
                for (int home = (int)(key >> 16); home != b; home = (int)(key >> 16))
                {
                    int to = next[home]++;
                    (key, keys[to]) = (keys[to], key);
                    if (!values.IsEmpty) (value, values[to]) = (values[to], value);
                }
                keys[next[b]] = key;
                if (!values.IsEmpty) values[next[b]] = value;
                next[b]++;
            }
        }
        for (int b = 0, start = 0; b < Buckets; start = end[b++])
        {
            int length = end[b] - start;
            if (length < 2) continue;
            if (values.IsEmpty) keys.Slice(start, length).Sort();
            else keys.Slice(start, length).Sort(values.Slice(start, length));
        }
    }

    /// <summary>Gives every entry the same value (ip4tset's one value per dataset).</summary>
    public void SetAllValues(int value)
    {
        _values = null;
        _uniformValue = value;
    }

    private void Resize(int size)
    {
        Array.Resize(ref _addresses, size);
        if (_values is not null) Array.Resize(ref _values, size);
        if (trackLines)
        {
            Array.Resize(ref _lines, size);
            Array.Resize(ref _files, size);
        }
    }
}
