using System.Numerics;

namespace DnsblServer.Serving.RateLimiting.Internal;

/// <summary>
/// The limiter's state: a fixed power-of-two array of 64-bit buckets, allocated once, indexed by the
/// key's hash; a key that lands on a taken bucket takes it over (NSD's <c>rrl_array</c>: collisions
/// overwrite, no allocation, no chains). One bucket is one word, <c>tag:32 | second:12 | count:20</c>,
/// updated with one compare-and-swap: no lock, and no spinning either (see <see cref="IsOverLimit"/>).
/// </summary>
/// <remarks>
/// The count is a rate that halves each second (NSD: <c>rate = rate/2 + counter</c>): at a new second
/// the count starts from the previous one shifted right by the seconds elapsed, so a key stays limited
/// while it keeps asking at more than twice the limit, and comes back within a second or two once it
/// slows down. A plain per-second window would let a flood through at the start of every second;
/// BIND's window of 15 seconds keeps a slowed client limited longer than a DNSBL's users should wait.
/// Seconds are kept modulo 4096: a bucket left alone for a multiple of 68 minutes looks current once,
/// with an old count - one second of a wrong limit for a key last seen an hour ago.
/// </remarks>
internal sealed class RateTable
{
    private const int CountBits = 20;
    private const uint SecondMask = (1 << 12) - 1;

    /// <summary>The largest count a bucket holds (counts saturate there).</summary>
    public const int MaxCount = (1 << CountBits) - 1;

    private readonly long[] _buckets;
    private readonly ulong _mask;

    /// <summary>A table of <paramref name="size"/> buckets, rounded up to a power of two.</summary>
    public RateTable(int size)
    {
        int buckets = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, 1));
        _buckets = GC.AllocateUninitializedArray<long>(buckets, pinned: false);
        Array.Clear(_buckets);
        _mask = (ulong)(buckets - 1);
    }

    /// <summary>Buckets in the table.</summary>
    public int Size => _buckets.Length;

    /// <summary>
    /// Counts one answer for the key <paramref name="hash"/> at <paramref name="second"/>; true when its
    /// rate is now over <paramref name="limit"/>. Every answer counts, limited or not (as NSD and BIND).
    /// </summary>
    /// <remarks>
    /// One compare-and-swap. When another loop changed the bucket in between (two loops answering the
    /// same key at the same nanosecond), the answer is judged on the word that loop wrote, plus one, and
    /// not written back: one count lost, never a retry loop under a flood.
    /// </remarks>
    public bool IsOverLimit(ulong hash, long second, int limit)
    {
        ref long bucket = ref _buckets[(int)(hash & _mask)];
        uint tag = (uint)(hash >> 32);
        uint now = (uint)second & SecondMask;
        long seen = Volatile.Read(ref bucket);
        long next = (long)Next((ulong)seen, tag, now);
        long found = Interlocked.CompareExchange(ref bucket, next, seen);
        if (found != seen) next = (long)Next((ulong)found, tag, now);
        return (int)((ulong)next & MaxCount) > limit;
    }

    // The bucket after one more answer for (tag, now).
    private static ulong Next(ulong word, uint tag, uint now)
    {
        uint count = 1; // another key's bucket (or an empty one): taken over
        if ((uint)(word >> 32) == tag)
        {
            uint old = (uint)word & MaxCount;
            uint elapsed = (now - ((uint)(word >> CountBits) & SecondMask)) & SecondMask;
            count = (elapsed < 32 ? old >> (int)elapsed : 0) + 1;
            if (count > MaxCount) count = MaxCount;
        }
        return (ulong)tag << 32 | (ulong)now << CountBits | count;
    }
}
