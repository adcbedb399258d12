using System.Runtime.CompilerServices;

namespace DnsblServer.Serving.Metrics.Internal;

/// <summary>
/// One thread's counters for one <see cref="QueryCounters"/>: plain <c>long</c> arrays that only
/// the owning thread writes (a plain increment, about 1 cycle, where an Interlocked add on a line
/// shared between cores costs 20 or more) and that the exporter reads and sums. Each array has
/// <see cref="Pad"/> unused longs at both ends, so no two threads' counters share a cache line.
/// </summary>
/// <remarks>
/// The arrays grow (on the owning thread, rarely) when a zone index beyond them shows up; the new
/// array is a copy, published with one reference write, so a scrape sees the old or the new one,
/// both consistent. Adapted from NSD's per-child statistics, summed by the parent on request.
/// </remarks>
internal sealed class CounterBlock
{
    /// <summary>128 bytes of padding: two cache lines, as the adjacent-line prefetcher pulls pairs.</summary>
    public const int Pad = 16;

    /// <summary>Result counters per query type: room for every <see cref="Pipeline.QueryOutcome"/> and some to come.</summary>
    public const int ResultStride = 16;

    /// <summary>Counters per zone slot in <see cref="Queries"/>.</summary>
    public const int QueryStride = QueryTypeLabels.Count * ResultStride;

    /// <summary>Byte counters per zone slot in <see cref="Bytes"/>: UDP in, UDP out, TCP in, TCP out.</summary>
    public const int BytesStride = 4;

    /// <summary>Key counters per zone slot in <see cref="Keys"/>: one per <see cref="Pipeline.KeyResult"/>.</summary>
    public const int KeysStride = 4;

    /// <summary>Slots of <see cref="Misc"/>: truncated answers, then the drop reasons, then the cookie statuses.</summary>
    public const int TruncatedSlot = 0;

    /// <summary>First <see cref="Misc"/> slot of the <see cref="Pipeline.CookieStatus"/> counts (indexed by the status; None is never bumped).</summary>
    public const int CookieSlot = 1 + DropReasons.Count;

    /// <summary>Cookie status slots: one per <see cref="Pipeline.CookieStatus"/> value.</summary>
    public const int CookieSlots = 5;

    public CounterBlock(QueryCounters owner, int zoneSlots)
    {
        Owner = owner;
        Thread = Environment.CurrentManagedThreadId;
        Queries = new long[2 * Pad + zoneSlots * QueryStride];
        Bytes = new long[2 * Pad + zoneSlots * BytesStride];
        Keys = new long[2 * Pad + zoneSlots * KeysStride];
    }

    public QueryCounters Owner { get; }

    public int Thread { get; }

    /// <summary>[zone slot][qtype slot][result] (result stride <see cref="ResultStride"/>), flattened, padded.</summary>
    public long[] Queries;

    /// <summary>[zone slot][transport][in, out], flattened, padded.</summary>
    public long[] Bytes;

    /// <summary>[zone slot][key result], flattened, padded (keyed zones only).</summary>
    public long[] Keys;

    /// <summary>Truncated answers, drop reasons and cookie statuses, padded.</summary>
    public readonly long[] Misc = new long[2 * Pad + CookieSlot + CookieSlots];

    public static int ZoneSlots(long[] queries) => (queries.Length - 2 * Pad) / QueryStride;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Grow(int zoneSlots)
    {
        var queries = new long[2 * Pad + zoneSlots * QueryStride];
        Array.Copy(Queries, queries, Queries.Length - Pad);
        var bytes = new long[2 * Pad + zoneSlots * BytesStride];
        Array.Copy(Bytes, bytes, Bytes.Length - Pad);
        var keys = new long[2 * Pad + zoneSlots * KeysStride];
        Array.Copy(Keys, keys, Keys.Length - Pad);
        Volatile.Write(ref Keys, keys);
        Volatile.Write(ref Queries, queries);
        Volatile.Write(ref Bytes, bytes);
    }
}
