using System.Numerics;

namespace DnsblServer.Zones.Trie;

/// <summary>
/// Search of a sorted run of evenly spread keys (the tails under one trie node): the first probe is
/// interpolated, so it usually lands on the right cache line where a binary search would miss the
/// cache several times (one miss is most of a lookup's cost); galloping from there bounds the worst
/// case at O(log n). Generic so the IPv4 (16-bit tails) and IPv6 (32-bit tails) maps share it; the
/// JIT specialises it per key type, so it costs nothing over a hand-written copy.
/// </summary>
internal static class InterpolatedSearch
{
    /// <summary>Index of <paramref name="key"/> in <paramref name="keys"/>[lo, lo + count), or -1.</summary>
    /// <param name="keys">Sorted keys.</param>
    /// <param name="lo">First index of the run.</param>
    /// <param name="count">Length of the run (at least 1).</param>
    /// <param name="key">The key sought.</param>
    /// <param name="guess">Where to probe first, within the run (the caller interpolates: it knows the key width).</param>
    public static int Find<T>(T[] keys, int lo, int count, T key, int guess) where T : unmanaged, IBinaryInteger<T>
    {
        T at = keys[guess];
        if (at == key) return guess;
        int left, right, step = 1;
        if (at < key)
        {
            int end = lo + count - 1;
            left = guess + 1;
            right = guess + 1;
            while (right < end && keys[right] < key)
            {
                left = right + 1;
                step <<= 1;
                right = guess + step;
            }
            right = Math.Min(right, end);
        }
        else
        {
            right = guess - 1;
            left = guess - 1;
            while (left > lo && keys[left] > key)
            {
                right = left - 1;
                step <<= 1;
                left = guess - step;
            }
            left = Math.Max(left, lo);
        }
        while (left <= right)
        {
            int mid = (int)((uint)(left + right) >> 1);
            T value = keys[mid];
            if (value == key) return mid;
            if (value < key) left = mid + 1;
            else right = mid - 1;
        }
        return -1;
    }
}
