using DnsblServer.Wire;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Resolving;

/// <summary>
/// A zone with the wire bytes its answers need, prepared once per snapshot so the query path only
/// copies: SOA names and timers, the NS names back to back, and whether the zone may be served.
/// </summary>
internal sealed class ServedZone
{
    public ServedZone(Zone zone, long now)
    {
        Zone = zone;
        Servable = zone.IsLoaded && (zone.Expires == 0 || now < zone.Expires);
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
            var names = ns.Names.Distinct(StringComparer.OrdinalIgnoreCase).Take(ResponseWriter.MaxNameServers);
            NsNames = [.. names.SelectMany(DomainName.ToWirePreservingCase)];
            NsTtl = ns.Ttl;
        }
    }

    /// <summary>The zone.</summary>
    public Zone Zone { get; }

    /// <summary>False when a dataset never loaded or the data expired (<c>$TIMESTAMP</c>): the zone answers SERVFAIL.</summary>
    public bool Servable { get; }

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
}
