namespace DnsblServer.Zones.Trie;

/// <summary>
/// Single-address entries while a dataset loads, kept apart from ranges because they are most of
/// a real list: 8 bytes each (address and value id), plus the line for datasets that warn about
/// duplicates. Grown by doubling from a capacity guessed from the file size.
/// </summary>
internal sealed class Ip4Singles(bool trackLines)
{
    private uint[] _addresses = new uint[1024];
    private int[] _values = new int[1024];
    private int[] _lines = trackLines ? new int[1024] : [];
    private ushort[] _files = trackLines ? new ushort[1024] : [];

    public int Count { get; private set; }

    public ReadOnlySpan<uint> Addresses => _addresses.AsSpan(0, Count);

    public ReadOnlySpan<int> Values => _values.AsSpan(0, Count);

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
        if (!trackLines && Count > 0 && _addresses[Count - 1] == address && _values[Count - 1] == value) return;
        if (Count == _addresses.Length) Resize(_addresses.Length * 2);
        _addresses[Count] = address;
        _values[Count] = value;
        if (trackLines)
        {
            _lines[Count] = line;
            _files[Count] = file;
        }
        Count++;
    }

    /// <summary>
    /// Sorts the entries by address in place, equal addresses in input order (a stable two-pass LSD radix
    /// sort of the address and value pairs), so the build reads them sequentially rather than through an
    /// index: a permutation's random reads into a 4 MB array were half of a 1M-line load. Nothing to do
    /// for a sorted file. Only without <see cref="TracksLines"/> (the lines would need moving too); returns
    /// the value buffer the sort used as scratch (at least <see cref="Count"/> long) for the build to reuse,
    /// or null when nothing was sorted.
    /// </summary>
    public int[]? SortByAddress()
    {
        if (trackLines) throw new InvalidOperationException("entries with lines are ordered through StableOrder");
        int n = Count;
        var keys = _addresses.AsSpan(0, n);
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
        if (sorted) return null;
        var keyScratch = new uint[n];
        var valueScratch = new int[n];
        var counts = new int[(1 << 16) + 1];
        // pass 1 (low 16 bits) into the scratch buffers, pass 2 (high 16 bits) back: the result is in place
        Scatter(_addresses, _values, keyScratch, valueScratch, n, 0, counts);
        Scatter(keyScratch, valueScratch, _addresses, _values, n, 16, counts);
        return valueScratch;
    }

    private static void Scatter(uint[] keys, int[] values, uint[] toKeys, int[] toValues, int n, int shift, int[] counts)
    {
        Array.Clear(counts);
        for (int i = 0; i < n; i++) counts[((keys[i] >> shift) & 0xffff) + 1]++;
        for (int b = 1; b < counts.Length; b++) counts[b] += counts[b - 1];
        for (int i = 0; i < n; i++)
        {
            int at = counts[(keys[i] >> shift) & 0xffff]++;
            toKeys[at] = keys[i];
            toValues[at] = values[i];
        }
    }

    /// <summary>Gives every entry the same value (ip4tset's one value per dataset).</summary>
    public void SetAllValues(int value) => _values.AsSpan(0, Count).Fill(value);

    private void Resize(int size)
    {
        Array.Resize(ref _addresses, size);
        Array.Resize(ref _values, size);
        if (trackLines)
        {
            Array.Resize(ref _lines, size);
            Array.Resize(ref _files, size);
        }
    }
}
