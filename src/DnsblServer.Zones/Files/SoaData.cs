namespace DnsblServer.Zones.Files;

/// <summary>A <c>$SOA</c> line. Serial 0 means "the newest mtime of the zone's files".</summary>
public sealed record SoaData(uint Ttl, string Origin, string Person, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum);

/// <summary>A <c>$NS</c> line: its TTL and the name servers in order.</summary>
public sealed record NsData(uint Ttl, IReadOnlyList<string> Names);
