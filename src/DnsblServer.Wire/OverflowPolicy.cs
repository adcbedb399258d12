namespace DnsblServer.Wire;

/// <summary>
/// What <see cref="ResponseWriter"/> does when an ANSWER record does not fit in the size limit.
/// </summary>
/// <remarks>
/// In both modes the record is left out and the writer carries on with the next one, so a smaller record may still fit.
/// </remarks>
public enum OverflowPolicy
{
    /// <summary>
    /// rbldnsd: drop the record silently and clear AA (<c>addrr_any</c> → <c>setnonauth</c>); TC is never set.
    /// </summary>
    ClearAuthoritative,

    /// <summary>
    /// RFC 2181 §9: keep AA and set TC=1 when the message is finished, so the client retries over TCP. Use on UDP only.
    /// </summary>
    SetTruncated,
}
