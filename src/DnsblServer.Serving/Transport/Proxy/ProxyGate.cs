namespace DnsblServer.Serving.Transport.Proxy;

/// <summary>
/// The receive stage's PROXY check for one whole datagram (dnsdist puts a header in each): from a trusted
/// proxy, strip the header and make its source the client; from anyone else, refuse a header. Works on
/// spans of the loop's own buffer, so the client handed on points into the datagram: nothing is copied.
/// </summary>
internal static class ProxyGate
{
    /// <summary>
    /// Checks <paramref name="message"/> from <paramref name="client"/> (the peer); on <see cref="ProxyDrop.None"/>
    /// both now describe what the processor is to see. Call only when <see cref="ProxyTrust.Enabled"/>.
    /// </summary>
    public static ProxyDrop Unwrap(ProxyTrust trust, ref ReadOnlySpan<byte> message, ref ReadOnlySpan<byte> client)
    {
        if (!trust.Contains(client))
            return ProxyHeader.StartsWithSignature(message) ? ProxyDrop.Untrusted : ProxyDrop.None;

        ProxyHeader header = ProxyHeader.Read(message);
        switch (header.Status)
        {
            case ProxyHeaderStatus.Proxy:
                client = header.Source(message);
                message = message[header.Length..];
                return ProxyDrop.None;
            case ProxyHeaderStatus.Local:
                message = message[header.Length..];
                return ProxyDrop.None;
            default:
                return ProxyDrop.Invalid;   // a datagram is whole, so Incomplete is a cut header too
        }
    }
}
