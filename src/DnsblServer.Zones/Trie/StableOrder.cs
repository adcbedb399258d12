namespace DnsblServer.Zones.Trie;

/// <summary>Stable ordering of entries by address: nothing to do for sorted files, otherwise a two-pass LSD radix sort.</summary>
internal static class StableOrder
{
    /// <summary>Indices of <paramref name="keys"/> in ascending key order, equal keys in input order; null when already sorted.</summary>
    public static int[]? ByKey(ReadOnlySpan<uint> keys)
    {
        bool sorted = true;
        for (int i = 1; i < keys.Length && sorted; i++) sorted = keys[i - 1] <= keys[i];
        if (sorted) return null;

        // Radix sort on 16-bit digits: linear time and stable, unlike Array.Sort (5M keys: ~40 ms instead of ~400 ms).
        int n = keys.Length;
        var order = new int[n];
        var scratch = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var counts = new int[(1 << 16) + 1];
        for (int shift = 0; shift < 32; shift += 16)
        {
            Array.Clear(counts);
            foreach (uint key in keys) counts[((key >> shift) & 0xffff) + 1]++;
            for (int b = 1; b < counts.Length; b++) counts[b] += counts[b - 1];
            foreach (int i in order) scratch[counts[(keys[i] >> shift) & 0xffff]++] = i;
            (order, scratch) = (scratch, order);
        }
        return order;
    }
}
