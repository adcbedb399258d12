using DnsblServer.Wire;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Resolving;

/// <summary>
/// A zone with the wire bytes its answers need, prepared once per snapshot so the query path only
/// copies: SOA names and timers, the NS names back to back, and whether the zone may be served.
/// </summary>
internal sealed class ServedZone
{
    public ServedZone(Zone zone, long now, ZoneSet zones)
    {
        Zone = zone;
        Servable = zone.IsLoaded && (zone.Expires == 0 || now < zone.Expires);
        Combined = [.. zone.Combined.Select(c => c.Zones.Select(s => new ServedZone(s, now, zones)).ToArray())];
        if (zone.Soa is { } soa)
        {
            SoaMname = DomainName.ToWirePreservingCase(soa.Origin);
            SoaRname = DomainName.ToWirePreservingCase(soa.Person);
            SoaTimers = new SoaTimers(zone.Serial, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum);
            SoaTtl = soa.Ttl;
        }
        if (zone.Ns is { } ns)
        {
            // rbldnsd drops repeated names and keeps at most 32.
            var names = ns.Names.Distinct(StringComparer.OrdinalIgnoreCase).Take(ResponseWriter.MaxNameServers).ToList();
            NsNames = [.. names.SelectMany(DomainName.ToWirePreservingCase)];
            NsTtl = ns.Ttl;
            Glue = MergeLikeRbldnsd([.. names.SelectMany((name, index) => FindGlue(name, index, zones))]);
        }
    }

    /// <summary>The zone.</summary>
    public Zone Zone { get; }

    /// <summary>False when a dataset never loaded or the data expired (<c>$TIMESTAMP</c>): the zone answers SERVFAIL.</summary>
    public bool Servable { get; }

    /// <summary>Per combined dataset of the zone, its subzones (as <see cref="Zone.Combined"/>), served by the same code as zones.</summary>
    public ServedZone[][] Combined { get; }

    /// <summary>The zone's access keys (file and pushed) when it is keyed; null for an unkeyed zone.</summary>
    public Keys.KeyTable? Keys { get; init; }

    /// <summary>SOA MNAME in wire format; null when the zone has no SOA.</summary>
    public byte[]? SoaMname { get; }

    /// <summary>SOA RNAME in wire format.</summary>
    public byte[]? SoaRname { get; }

    /// <summary>SOA serial and timers.</summary>
    public SoaTimers SoaTimers { get; }

    /// <summary>TTL of the SOA in ANSWER (in AUTHORITY the MINIMUM field is the TTL).</summary>
    public uint SoaTtl { get; }

    /// <summary>The NS names back to back in wire format; null when the zone has no NS.</summary>
    public byte[]? NsNames { get; }

    /// <summary>TTL of the NS records.</summary>
    public uint NsTtl { get; }

    /// <summary>A records for NS names that a served zone holds (generic data), sent in ADDITIONAL with the NS in AUTHORITY.</summary>
    public GlueAddress[] Glue { get; } = [];

    // rbldnsd gathers all glue into one scratch packet with its answer rules: an address already there
    // is not added again (even for another name), and every A record ends up with the smallest TTL.
    private static GlueAddress[] MergeLikeRbldnsd(List<GlueAddress> glue)
    {
        if (glue.Count == 0) return [];
        uint ttl = glue.Min(g => g.Ttl);
        return [.. glue.DistinctBy(g => g.Address).Select(g => g with { Ttl = ttl })];
    }

    // rbldnsd's find_glue: the A records a served zone gives for the name server's name.
    private static IEnumerable<GlueAddress> FindGlue(string name, int index, ZoneSet zones)
    {
        byte[] wire = DomainName.ToWire(name);
        var starts = new List<byte>();
        for (int at = 0; wire[at] != 0 && starts.Count < 128; at += wire[at] + 1) starts.Add((byte)at);
        var owner = zones.Find(wire, [.. starts], out int below);
        if (owner is null) yield break;
        var glue = AddressRecords(owner, wire, starts, below, index).ToList();
        // the generic data of a combined dataset's subzone gives glue too (find_glue queries every dataset)
        foreach (var subzones in owner.Combined)
        {
            int sub = subzones.FindIndex(wire, [.. starts], out int subBelow);
            if (sub >= 0) glue.AddRange(AddressRecords(subzones.Zones[sub], wire, starts, subBelow, index));
        }
        foreach (var address in glue) yield return address;
    }

    private static IEnumerable<GlueAddress> AddressRecords(Zone zone, byte[] wire, List<byte> starts, int below, int index)
    {
        var relative = wire.AsMemory(0, below == 0 ? 0 : starts[below]);
        foreach (var generic in zone.NameDatasets.OfType<Zones.Datasets.Generic.GenericDataset>())
        {
            foreach (var record in generic.AddressRecords(relative.Span).ToArray())
            {
                yield return new GlueAddress(index, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(record.Rdata), record.Ttl);
            }
        }
    }
}
