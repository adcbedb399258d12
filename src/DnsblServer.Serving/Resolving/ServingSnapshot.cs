using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Resolving;

/// <summary>
/// What one query reads: the zone set and each zone's prepared wire data. Immutable; replaced as a
/// whole by <see cref="QueryProcessor.Publish"/> so no answer ever mixes old and new data.
/// </summary>
internal sealed class ServingSnapshot
{
    public ServingSnapshot(ZoneSet zoneSet, long now, Keys.KeyAccess? keys = null)
    {
        ZoneSet = zoneSet;
        Zones = [.. zoneSet.Zones.Select(z => new ServedZone(z, now, zoneSet) { Keys = z.IsKeyed ? keys?.Table(z) ?? Keys.KeyTable.Empty : null })];
        NextExpiry = zoneSet.Zones.Select(z => z.Expires).Where(e => e > now).DefaultIfEmpty(0).Min();
    }

    /// <summary>The data.</summary>
    public ZoneSet ZoneSet { get; }

    /// <summary>Per zone, in <see cref="ZoneSet.Zones"/> order.</summary>
    public ServedZone[] Zones { get; }

    /// <summary>The next time a zone expires (Unix seconds), when the snapshot must be rebuilt; 0 = none.</summary>
    public long NextExpiry { get; }
}
