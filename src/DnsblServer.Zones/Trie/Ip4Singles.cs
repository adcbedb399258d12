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
    /// Sorts the entries by address, so the build reads them sequentially rather than through an index (a
    /// permutation's random reads into a 4 MB array were half of a 1M-line load). Nothing to do for a sorted file.
    /// One counting pass on the top 16 bits, then the low 16 bits alone are scattered into their /16 buckets (2 B
    /// per entry of scratch, where a radix sort of whole addresses and values held 8 more), each bucket is sorted
    /// while it is in cache, and the addresses are written back from (bucket, low bits). Scattering keeps many cache
    /// misses in flight; an in-place cycle of swaps (American flag sort) waits for each one and took twice as long.
    /// Equal addresses may change order, which the union of ip4set and ip4tset's one value do not see; datasets that
    /// keep lines (ip4trie, where the first line wins) are ordered through <see cref="StableOrder"/> instead.
    /// Returns the low-bits scratch (<see cref="Count"/> long) for the build to write the map's singles into, or null
    /// when nothing was sorted.
    /// </summary>
    public ushort[]? SortByAddress()
    {
        if (trackLines) throw new InvalidOperationException("entries with lines are ordered through StableOrder");
        int n = Count;
        Span<uint> keys = _addresses.AsSpan(0, n);
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
        if (sorted) return null;

        const int Buckets = 1 << 16;
        var start = new int[Buckets + 1];
        foreach (uint key in keys) start[(key >> 16) + 1]++;
        for (int b = 0; b < Buckets; b++) start[b + 1] += start[b];
        var next = start.AsSpan(0, Buckets).ToArray();
        var low = new ushort[n];
        int[]? values = _values is null ? null : new int[_values.Length];
        for (int i = 0; i < n; i++)
        {
            uint key = keys[i];
            int at = next[key >> 16]++;
            low[at] = (ushort)key;
            if (values is not null) values[at] = _values![i];
        }
        if (values is not null) _values = values; // the scattered copy replaces the old one
        int largest = 0;
        for (int b = 0; b < Buckets; b++) largest = Math.Max(largest, start[b + 1] - start[b]);
        var bucketSort = new BucketSort(largest, values is not null);
        for (int b = 0; b < Buckets; b++)
        {
            int from = start[b], length = start[b + 1] - from;
            if (length > 1) bucketSort.Sort(low.AsSpan(from, length), values is null ? default : values.AsSpan(from, length));
            uint high = (uint)b << 16;
            for (int i = from; i < from + length; i++) keys[i] = high | low[i];
        }
        return low;
    }

    /// <summary>
    /// Sorts one /16 bucket's low 16 bits (and their values): insertion sort for the few a random list puts in a
    /// bucket, two 8-bit counting passes through a scratch as large as the largest bucket otherwise. Span.Sort of
    /// ushort goes through a generic comparer and was 14% of a 1M-line load.
    /// </summary>
    private sealed class BucketSort(int largest, bool withValues)
    {
        private const int InsertionLimit = 48;
        private readonly ushort[] _keys = largest > InsertionLimit ? new ushort[largest] : [];
        private readonly int[] _values = withValues && largest > InsertionLimit ? new int[largest] : [];
        private readonly int[] _counts = new int[256];

        public void Sort(Span<ushort> keys, Span<int> values)
        {
            if (keys.Length <= InsertionLimit)
            {
                for (int i = 1; i < keys.Length; i++)
                {
                    ushort key = keys[i];
                    int value = values.IsEmpty ? 0 : values[i];
                    int j = i - 1;
                    for (; j >= 0 && keys[j] > key; j--)
                    {
                        keys[j + 1] = keys[j];
                        if (!values.IsEmpty) values[j + 1] = values[j];
                    }
                    keys[j + 1] = key;
                    if (!values.IsEmpty) values[j + 1] = value;
                }
                return;
            }
            Span<ushort> keyScratch = _keys.AsSpan(0, keys.Length);
            Span<int> valueScratch = values.IsEmpty ? default : _values.AsSpan(0, keys.Length);
            Pass(keys, values, keyScratch, valueScratch, 0);
            Pass(keyScratch, valueScratch, keys, values, 8);
        }

        private void Pass(Span<ushort> keys, Span<int> values, Span<ushort> toKeys, Span<int> toValues, int shift)
        {
            Span<int> counts = _counts;
            counts.Clear();
            foreach (ushort key in keys) counts[(key >> shift) & 255]++;
            for (int d = 0, at = 0; d < 256; d++) (counts[d], at) = (at, at + counts[d]);
            for (int i = 0; i < keys.Length; i++)
            {
                int at = counts[(keys[i] >> shift) & 255]++;
                toKeys[at] = keys[i];
                if (!values.IsEmpty) toValues[at] = values[i];
            }
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
