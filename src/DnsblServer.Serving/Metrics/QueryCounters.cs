using System.Runtime.CompilerServices;
using DnsblServer.Serving.Metrics.Internal;
using DnsblServer.Serving.Pipeline;

namespace DnsblServer.Serving.Metrics;

/// <summary>
/// Per-query counters for the Prometheus exporter and rbldnsd's statistics file: queries by zone,
/// QTYPE and result, bytes in and out by zone and transport, truncated answers, dropped packets by
/// reason, queries by DNS cookie status. The query path only bumps plain counters of its own thread (no lock, no Interlocked, no
/// allocation once the thread has its block); <see cref="Snapshot"/> sums every thread's block.
/// </summary>
/// <remarks>
/// Zones are counted by their index in the served <see cref="Zones.ZoneSets.ZoneSet"/>: the zone
/// list comes from the configuration and keeps its order across reloads, so an index names the
/// same zone for the life of the process. Slot 0 is "no zone" (REFUSED outside our zones, the
/// header and EDNS guards, version.bind, dropped packets).
/// </remarks>
public sealed class QueryCounters : IAfterAnswerStep
{
    // One block per thread; the static slot caches the last one used, so the usual case (one
    // QueryCounters per process) is a thread-static read and a compare.
    [ThreadStatic] private static CounterBlock? t_block;

    private readonly Lock _gate = new();
    private readonly int _initialZoneSlots;
    private CounterBlock[] _blocks = [];

    /// <summary>Creates counters sized for <paramref name="zoneCount"/> zones (more are handled, at one array copy per thread).</summary>
    public QueryCounters(int zoneCount = 8) => _initialZoneSlots = Math.Max(zoneCount, 1) + 1;

    /// <summary>Counts one query from the facts the answer stage settled (an <see cref="AfterAnswerStage"/> step).</summary>
    public void Run(ref AnswerFacts facts, Span<byte> response) => Record(in facts);

    /// <summary>Counts one query: zone, QTYPE and outcome, bytes in and out, truncation, drop reason.</summary>
    public void Record(in AnswerFacts facts)
    {
        var block = t_block;
        if (block is null || !ReferenceEquals(block.Owner, this)) block = Attach();

        var outcome = facts.Outcome;
        int zoneSlot = facts.ZoneIndex + 1;
        long[] queries = block.Queries;
        if ((uint)zoneSlot >= (uint)CounterBlock.ZoneSlots(queries))
        {
            block.Grow(Math.Max(zoneSlot + 1, CounterBlock.ZoneSlots(queries) * 2));
            queries = block.Queries;
        }
        int typeSlot = outcome == QueryOutcome.Dropped ? 0 : QueryTypeLabels.Slot(facts.QType);
        queries[CounterBlock.Pad + zoneSlot * CounterBlock.QueryStride + typeSlot * CounterBlock.ResultStride + (int)outcome]++;

        int bytes = CounterBlock.Pad + zoneSlot * CounterBlock.BytesStride + (facts.Transport == TransportKind.Tcp ? 2 : 0);
        long[] byteCounters = block.Bytes;
        byteCounters[bytes] += facts.RequestBytes;
        byteCounters[bytes + 1] += facts.ResponseBytes;

        if (facts.Key != KeyResult.None) block.Keys[CounterBlock.Pad + zoneSlot * CounterBlock.KeysStride + (int)facts.Key]++;
        if (facts.Truncated) block.Misc[CounterBlock.Pad + CounterBlock.TruncatedSlot]++;
        if (outcome == QueryOutcome.Dropped) block.Misc[CounterBlock.Pad + 1 + DropReasons.Slot(facts.ReadStatus)]++;
        if (facts.Cookie != CookieStatus.None) block.Misc[CounterBlock.Pad + CounterBlock.CookieSlot + (int)facts.Cookie]++;
    }

    /// <summary>Sums every thread's counters. Lock-free for the writers; a scrape under load may be a few queries behind.</summary>
    public QueryCountersSnapshot Snapshot()
    {
        CounterBlock[] blocks = Volatile.Read(ref _blocks);
        int zoneSlots = _initialZoneSlots;
        foreach (var block in blocks) zoneSlots = Math.Max(zoneSlots, CounterBlock.ZoneSlots(Volatile.Read(ref block.Queries)));
        var snapshot = new QueryCountersSnapshot(zoneSlots);
        foreach (var block in blocks)
        {
            long[] queries = Volatile.Read(ref block.Queries);
            long[] bytes = Volatile.Read(ref block.Bytes);
            long[] keys = Volatile.Read(ref block.Keys);
            for (int i = 0; i < Math.Min(keys.Length - 2 * CounterBlock.Pad, snapshot.KeyCounts.Length); i++) snapshot.KeyCounts[i] += Volatile.Read(ref keys[CounterBlock.Pad + i]);
            for (int i = 0; i < queries.Length - 2 * CounterBlock.Pad; i++) snapshot.QueryCounts[i] += Volatile.Read(ref queries[CounterBlock.Pad + i]);
            for (int i = 0; i < bytes.Length - 2 * CounterBlock.Pad; i++) snapshot.ByteCounts[i] += Volatile.Read(ref bytes[CounterBlock.Pad + i]);
            snapshot.Truncated += Volatile.Read(ref block.Misc[CounterBlock.Pad + CounterBlock.TruncatedSlot]);
            for (int r = 0; r < DropReasons.Count; r++) snapshot.DropCounts[r] += Volatile.Read(ref block.Misc[CounterBlock.Pad + 1 + r]);
            for (int c = 0; c < CounterBlock.CookieSlots; c++) snapshot.CookieCounts[c] += Volatile.Read(ref block.Misc[CounterBlock.Pad + CounterBlock.CookieSlot + c]);
        }
        return snapshot;
    }

    // First query of a thread (or a thread going back and forth between two instances, in tests).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private CounterBlock Attach()
    {
        int thread = Environment.CurrentManagedThreadId;
        lock (_gate)
        {
            foreach (var existing in _blocks)
            {
                if (existing.Thread == thread) return t_block = existing;
            }
            var block = new CounterBlock(this, _initialZoneSlots);
            Volatile.Write(ref _blocks, [.. _blocks, block]);
            return t_block = block;
        }
    }
}
