namespace DnsblServer.Wire;

/// <summary>
/// One glue A record for an NS target, written in ADDITIONAL after the NS RRset in AUTHORITY.
/// </summary>
/// <param name="NameIndex">Index of the NS target in the name list given to <see cref="ResponseWriter.TryAddNs"/> (list order, not rotated order).</param>
/// <param name="Address">IPv4 address, most significant octet first (127.0.0.2 = 0x7F000002).</param>
/// <param name="Ttl">TTL of the A record (the TTL of the dataset the glue came from).</param>
public readonly record struct GlueAddress(int NameIndex, uint Address, uint Ttl);
