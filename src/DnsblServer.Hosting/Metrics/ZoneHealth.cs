using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Metrics;

/// <summary>Whether a zone is served: every dataset (and exempt list) loaded and no <c>$TIMESTAMP</c> expiry passed. The one rule behind <c>dnsbl_zone_loaded</c> and <c>/readyz</c>.</summary>
internal static class ZoneHealth
{
    public static bool IsServed(Zone zone, long unixNow) => zone.IsLoaded && (zone.Expires == 0 || unixNow < zone.Expires);

    /// <summary>The names of the zones not served now, in zone-set order.</summary>
    public static IReadOnlyList<string> Unserved(ZoneSet zones)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return [.. zones.Zones.Where(z => !IsServed(z, now)).Select(z => z.Name)];
    }
}
