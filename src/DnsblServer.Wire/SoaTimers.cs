namespace DnsblServer.Wire;

/// <summary>
/// The five 32-bit SOA RDATA fields that follow MNAME and RNAME (RFC 1035 §3.3.13).
/// </summary>
/// <param name="Serial">Zone serial; rbldnsd uses the data timestamp when the configured serial is 0 (the caller resolves that).</param>
/// <param name="Refresh">Refresh interval, seconds.</param>
/// <param name="Retry">Retry interval, seconds.</param>
/// <param name="Expire">Expire interval, seconds.</param>
/// <param name="Minimum">Negative-caching TTL; rbldnsd also uses it as the TTL of the SOA in AUTHORITY.</param>
public readonly record struct SoaTimers(uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum);
