using DnsblServer.Wire;
using DnsblServer.Zones.Datasets.Generic;

namespace DnsblServer.Serving.Resolving;

/// <summary>
/// Writes a generic name's records into the ANSWER section, stopping once the reply is full.
/// rbldnsd offers every record of the name in turn, so a name with 100,000 records cost 100,000
/// duplicate and TTL checks per query (40 answers a second over UDP, 200 ms over TCP).
/// </summary>
internal static class GenericAnswer
{
    /// <summary>
    /// Records still offered after the first one that did not fit while some room is left (a smaller record
    /// may fit, as in rbldnsd). Any name with at most this many records past the first miss answers exactly as
    /// rbldnsd does; beyond it the only difference is that later records no longer lower the TTL of the ones written.
    /// </summary>
    internal const int TriesAfterMiss = 255;

    /// <summary>Adds the records; returns how many were looked at (tests assert the work is bounded).</summary>
    public static int Add(ref ResponseWriter w, scoped ReadOnlySpan<GenericRecord> records)
    {
        int misses = 0;
        for (int i = 0; i < records.Length; i++)
        {
            ref readonly var record = ref records[i];
            if (w.TryAddRecord(record.Type, record.Rdata, record.Ttl)) continue;
            // TC (UDP) or the cleared AA (TCP) is already recorded by the writer
            if (w.AnswerIsFull || ++misses > TriesAfterMiss) return i + 1;
        }
        return records.Length;
    }
}
