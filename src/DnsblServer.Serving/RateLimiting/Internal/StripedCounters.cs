namespace DnsblServer.Serving.RateLimiting.Internal;

/// <summary>
/// A few counters spread over stripes chosen by thread, one 128-byte line each, so that socket loops
/// bumping them under a flood do not share a cache line; summed at scrape time (NSD's per-child counts).
/// </summary>
internal sealed class StripedCounters
{
    private const int Stripes = 64;      // more than the socket loops of any machine we expect; two loops sharing one still count right
    private const int StripeLongs = 16;  // 128 bytes: a line and its prefetched neighbour

    private readonly long[] _counts;
    private readonly int _kinds;

    /// <summary><paramref name="kinds"/> counters (at most 16).</summary>
    public StripedCounters(int kinds)
    {
        _kinds = Math.Clamp(kinds, 1, StripeLongs);
        _counts = new long[(Stripes + 1) * StripeLongs]; // one spare line: stripe 0 starts a line after the array header
    }

    /// <summary>Adds one to counter <paramref name="kind"/> (an uncontended interlocked add: loops rarely share a stripe).</summary>
    public void Increment(int kind) =>
        Interlocked.Increment(ref _counts[StripeLongs + (Environment.CurrentManagedThreadId & (Stripes - 1)) * StripeLongs + kind]);

    /// <summary>The sum of counter <paramref name="kind"/> over every stripe.</summary>
    public long Sum(int kind)
    {
        if ((uint)kind >= (uint)_kinds) throw new ArgumentOutOfRangeException(nameof(kind));
        long sum = 0;
        for (int s = 0; s < Stripes; s++) sum += Volatile.Read(ref _counts[StripeLongs + s * StripeLongs + kind]);
        return sum;
    }
}
