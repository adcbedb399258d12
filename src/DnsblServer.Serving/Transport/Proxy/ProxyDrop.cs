namespace DnsblServer.Serving.Transport.Proxy;

/// <summary>Why a datagram or connection was dropped at the PROXY check, or <see cref="None"/>.</summary>
internal enum ProxyDrop : byte
{
    /// <summary>Not dropped: the message (and the client, when proxied) are ready for the processor.</summary>
    None,

    /// <summary>From a trusted proxy, but without a valid PROXY v2 header (<c>reason="invalid"</c>).</summary>
    Invalid,

    /// <summary>A PROXY v2 header from a peer that is not a trusted proxy (<c>reason="untrusted"</c>).</summary>
    Untrusted,
}
