namespace DnsblServer.Zones.Trie;

/// <summary>
/// Sorts fixed-width keys (<see cref="IRadixKey{T}"/>: the ip6trie prefixes) in place with no scratch
/// array: an MSD radix sort on one byte at a time (the "American flag" permutation: count the bytes,
/// then swap each key into its byte's bucket), then each bucket on the next byte, down to buckets
/// small enough for an insertion sort.
/// <para>
/// Why not <see cref="MemoryExtensions.Sort{T}(Span{T})"/>: the introsort compares each number
/// about 20 times for 1M of them (~115 ms in the published server for an ip6trie load), where this
/// reads each about 4 times (IPv6 lists share their leading bytes, which cost one count and no
/// moves). Why not an LSD radix sort: it needs a second array as large as the input, which is the
/// peak memory this is meant to spare.
/// </para>
/// </summary>
internal static class RadixSort
{
    // Below this a bucket is insertion-sorted: fewer moves than a 256-bucket pass over so few numbers.
    private const int SmallBucket = 48;

    /// <summary>Sorts <paramref name="items"/> ascending.</summary>
    public static void Sort<T>(Span<T> items) where T : IRadixKey<T> => Sort(items, T.KeyBits - 8);

    private static int Digit<T>(in T item, int shift) where T : IRadixKey<T> => T.Digit(item, shift);

    private static void Sort<T>(Span<T> items, int shift) where T : IRadixKey<T>
    {
        Span<int> next = stackalloc int[256];
        Span<int> ends = stackalloc int[256];
        while (true)
        {
            if (items.Length <= SmallBucket)
            {
                InsertionSort(items);
                return;
            }
            next.Clear();
            foreach (var item in items) next[Digit(item, shift)]++;
            // every number has the same byte here (common in the leading bytes): nothing to move
            int only = Digit(items[0], shift);
            if (next[only] == items.Length)
            {
                if (shift == 0) return;
                shift -= 8;
                continue;
            }
            int start = 0;
            for (int b = 0; b < 256; b++)
            {
                int count = next[b];
                next[b] = start;
                start += count;
                ends[b] = start;
            }
            for (int b = 0; b < 256; b++)
            {
                while (next[b] < ends[b])
                {
                    var item = items[next[b]];
                    int digit = Digit(item, shift);
                    while (digit != b)
                    {
                        // put it where its bucket fills next and carry on with what was there
                        (item, items[next[digit]]) = (items[next[digit]], item);
                        next[digit]++;
                        digit = Digit(item, shift);
                    }
                    items[next[b]++] = item;
                }
            }
            if (shift == 0) return;
            start = 0;
            for (int b = 0; b < 256; b++)
            {
                int end = ends[b];
                if (end - start > 1) Sort(items[start..end], shift - 8);
                start = end;
            }
            return;
        }
    }

    private static void InsertionSort<T>(Span<T> items) where T : IRadixKey<T>
    {
        for (int i = 1; i < items.Length; i++)
        {
            var item = items[i];
            int j = i - 1;
            while (j >= 0 && T.Less(item, items[j]))
            {
                items[j + 1] = items[j];
                j--;
            }
            items[j + 1] = item;
        }
    }
}

/// <summary>A key <see cref="RadixSort"/> can sort: its width and its bytes, most significant first.</summary>
internal interface IRadixKey<T> where T : IRadixKey<T>
{
    /// <summary>The key's width in bits, a multiple of 8.</summary>
    static abstract int KeyBits { get; }

    /// <summary>The byte of <paramref name="item"/>'s key starting at bit <paramref name="shift"/> (0 = the lowest).</summary>
    static abstract int Digit(in T item, int shift);

    /// <summary>True when <paramref name="x"/>'s key is below <paramref name="y"/>'s.</summary>
    static abstract bool Less(in T x, in T y);
}
