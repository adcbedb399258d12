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
