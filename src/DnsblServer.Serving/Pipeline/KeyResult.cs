namespace DnsblServer.Serving.Pipeline;

/// <summary>What a keyed zone made of a query's access key (<c>dnsbl_key_queries_total</c>).</summary>
public enum KeyResult : byte
{
    /// <summary>Not a keyed query: an unkeyed zone, the apex of a keyed one, or a query that reached no zone.</summary>
    None,
    /// <summary>A known key within its daily quota: answered as the zone without the key.</summary>
    Ok,
    /// <summary>No key, or one the zone does not know: the unknown-key code.</summary>
    UnknownKey,
    /// <summary>A known key past its daily quota: the over-quota code.</summary>
    OverQuota,
}
