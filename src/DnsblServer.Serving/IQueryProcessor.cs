namespace DnsblServer.Serving;

/// <summary>
/// Turns one DNS query into one DNS response, bytes in and bytes out. Implementations are
/// called concurrently from every socket loop, must not allocate or lock per query.
/// </summary>
public interface IQueryProcessor
{
    /// <summary>
    /// Answers <paramref name="query"/> into <paramref name="response"/>.
    /// </summary>
    /// <param name="query">The request as received.</param>
    /// <param name="response">Buffer for the answer, at least 65535 bytes for TCP and 4096 for UDP.</param>
    /// <param name="transport">UDP or TCP.</param>
    /// <param name="clientAddress">The client's address in network order: 4 bytes (IPv4), 16 bytes (IPv6), or empty when unknown. For ACLs and the query log.</param>
    /// <returns>Length of the answer, or 0 to send nothing (dropped packet).</returns>
    int Process(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress);
}
