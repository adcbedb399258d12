using DnsblServer.Serving.Metrics.Internal;

namespace DnsblServer.Serving.Metrics;

/// <summary>The sum of every thread's <see cref="QueryCounters"/> at one moment. Zone slot 0 is "no zone"; slot i+1 is the zone set's zone i.</summary>
public sealed class QueryCountersSnapshot
{
    internal QueryCountersSnapshot(int zoneSlots)
    {
        ZoneSlots = zoneSlots;
        QueryCounts = new long[zoneSlots * CounterBlock.QueryStride];
        ByteCounts = new long[zoneSlots * CounterBlock.BytesStride];
        KeyCounts = new long[zoneSlots * CounterBlock.KeysStride];
    }

    /// <summary>Zone slots counted (zones + 1).</summary>
    public int ZoneSlots { get; }

    internal long[] QueryCounts { get; }

    internal long[] ByteCounts { get; }

    internal long[] KeyCounts { get; }

    /// <summary>Queries of a keyed zone's slot with a <see cref="Pipeline.KeyResult"/>.</summary>
    public long KeyQueries(int zoneSlot, Pipeline.KeyResult result) =>
        zoneSlot < ZoneSlots ? KeyCounts[zoneSlot * CounterBlock.KeysStride + (int)result] : 0;

    internal long[] DropCounts { get; } = new long[DropReasons.Count];

    internal long[] CookieCounts { get; } = new long[CounterBlock.CookieSlots];

    /// <summary>Queries whose COOKIE option had <paramref name="status"/> (<see cref="Pipeline.CookieStatus.None"/> is not counted: always 0).</summary>
    public long Cookies(Pipeline.CookieStatus status) => CookieCounts[(int)status];

    /// <summary>UDP answers sent with TC=1.</summary>
    public long Truncated { get; internal set; }

    /// <summary>Queries of a zone slot, <see cref="QueryTypeLabels"/> slot and <see cref="QueryResults"/> row.</summary>
    public long Queries(int zoneSlot, int typeSlot, int result) =>
        zoneSlot < ZoneSlots ? QueryCounts[zoneSlot * CounterBlock.QueryStride + typeSlot * CounterBlock.ResultStride + result] : 0;

    /// <summary>Queries of a zone slot with a result of the given rbldnsd statistics class.</summary>
    public long Queries(int zoneSlot, StatsClass stats)
    {
        long total = 0;
        for (int t = 0; t < QueryTypeLabels.Count; t++)
        {
            for (int r = 0; r < QueryResults.Count; r++)
            {
                if (QueryResults.Table[r].Stats == stats) total += Queries(zoneSlot, t, r);
            }
        }
        return total;
    }

    /// <summary>Bytes received from queries of a zone slot over a transport.</summary>
    public long ReceivedBytes(int zoneSlot, TransportKind transport) =>
        zoneSlot < ZoneSlots ? ByteCounts[zoneSlot * CounterBlock.BytesStride + (transport == TransportKind.Tcp ? 2 : 0)] : 0;

    /// <summary>Bytes of answers sent for a zone slot over a transport (DNS messages; TCP length prefixes not included).</summary>
    public long SentBytes(int zoneSlot, TransportKind transport) =>
        zoneSlot < ZoneSlots ? ByteCounts[zoneSlot * CounterBlock.BytesStride + (transport == TransportKind.Tcp ? 3 : 1)] : 0;

    /// <summary>Packets dropped for a <see cref="DropReasons"/> slot.</summary>
    public long Dropped(int reason) => DropCounts[reason];
}
