using System.Runtime.CompilerServices;
using System.Text;

namespace DnsblServer.Serving.Keys;

/// <summary>
/// The keys of one keyed zone as the query path reads them: an open-addressing table sized at build time
/// (twice the keys, a power of two), indexed by a hash of the ASCII-lowercased label and confirmed by a byte
/// compare that ignores ASCII case, so a query name in any case (0x20 encoding) finds its key without a
/// string, a lock or an allocation. Immutable; a reload or a pushed key builds a new one around the same
/// <see cref="KeyCounter"/>s.
/// </summary>
public sealed class KeyTable
{
    private readonly byte[][] _names;
    private readonly long[] _quotas;
    private readonly KeyCounter[] _counters;
    private readonly int[] _slots; // entry index + 1; 0 = empty
    private readonly int _mask;

    /// <summary>Builds the table of <paramref name="keys"/> (lowercase names, each once).</summary>
    public KeyTable(IReadOnlyList<(string Name, long QueriesPerDay, KeyCounter Counter)> keys)
    {
        _names = [.. keys.Select(k => Encoding.ASCII.GetBytes(k.Name))];
        _quotas = [.. keys.Select(k => k.QueriesPerDay)];
        _counters = [.. keys.Select(k => k.Counter)];
        int size = 4;
        while (size < keys.Count * 2) size <<= 1;
        _slots = new int[size];
        _mask = size - 1;
        for (int i = 0; i < _names.Length; i++)
        {
            int slot = (int)Hash(_names[i]) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = i + 1;
        }
    }

    /// <summary>An empty table (a keyed zone whose keys are all revoked).</summary>
    public static KeyTable Empty { get; } = new([]);

    /// <summary>Number of keys.</summary>
    public int Count => _names.Length;

    /// <summary>The key at <paramref name="index"/>, lowercase.</summary>
    public string Name(int index) => Encoding.ASCII.GetString(_names[index]);

    /// <summary>The daily quota of the key at <paramref name="index"/>; 0 = unlimited.</summary>
    public long QueriesPerDay(int index) => _quotas[index];

    /// <summary>The index of the key <paramref name="label"/> (a label's bytes, any ASCII case); -1 when it is not a key.</summary>
    public int Find(ReadOnlySpan<byte> label)
    {
        int slot = (int)Hash(label) & _mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0) return -1;
            if (EqualsIgnoreCase(_names[entry], label)) return entry;
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Counts one query of the key at <paramref name="index"/>; true while the key is within its quota (this query included).</summary>
    public bool Admit(int index, long utcTicks)
    {
        long count = _counters[index].Count(utcTicks);
        long quota = _quotas[index];
        return quota == 0 || count <= quota;
    }

    // FNV-1a over the lowercased bytes: keys are short (a few dozen bytes), so a simple byte loop is cheapest
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes) hash = (hash ^ Lower(b)) * 16777619;
        return hash ^ (hash >> 15);
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> label)
    {
        if (lower.Length != label.Length) return false;
        for (int i = 0; i < lower.Length; i++)
        {
            if (lower[i] != Lower(label[i])) return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Lower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
}
