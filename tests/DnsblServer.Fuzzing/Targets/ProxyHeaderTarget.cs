using DnsblServer.Serving.Transport.Proxy;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// The PROXY v2 header reader, as the UDP loop (one whole datagram, through <see cref="ProxyGate"/>) and a TCP
/// connection (the bytes so far, read again as more arrive) call it. Checks: a header accepted lies inside the
/// bytes and within <see cref="ProxyHeader.MaxHeaderBytes"/>, its client is 4 or 16 bytes inside the header
/// (none for LOCAL); every prefix of an accepted header reads as incomplete (so TCP waits, never cuts early);
/// the gate's message and client are slices of the datagram.
/// </summary>
internal sealed class ProxyHeaderTarget : IFuzzTarget
{
    private static readonly ProxyTrust Trusted = ProxyTrust.From([System.Net.IPNetwork.Parse("127.0.0.0/8")]);
    private static readonly byte[] Peer = [127, 0, 0, 1];

    public string Name => "proxy";

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        ProxyHeader header = ProxyHeader.Read(bytes);
        switch (header.Status)
        {
            case ProxyHeaderStatus.Proxy or ProxyHeaderStatus.Local:
                if (header.Length < ProxyHeader.FixedBytes || header.Length > bytes.Length || header.Length > ProxyHeader.MaxHeaderBytes)
                    throw new InvalidOperationException($"header of {header.Length} bytes in {bytes.Length}");
                int expected = header.Status == ProxyHeaderStatus.Local ? 0 : bytes[13] >> 4 == 1 ? 4 : 16;
                if (header.SourceLength != expected || header.SourceOffset + header.SourceLength > header.Length)
                    throw new InvalidOperationException($"client of {header.SourceLength} bytes at {header.SourceOffset}");
                for (int cut = 0; cut < header.Length; cut++)
                {
                    if (ProxyHeader.Read(bytes[..cut]).Status != ProxyHeaderStatus.Incomplete)
                        throw new InvalidOperationException($"a prefix of {cut} bytes of a valid header is not incomplete");
                }
                break;
            case ProxyHeaderStatus.Incomplete:
                if (bytes.Length >= ProxyHeader.MaxHeaderBytes)
                    throw new InvalidOperationException("incomplete past the largest header");
                break;
        }

        ReadOnlySpan<byte> message = bytes, client = Peer;
        ProxyDrop drop = ProxyGate.Unwrap(Trusted, ref message, ref client);
        if (drop == ProxyDrop.Untrusted) throw new InvalidOperationException("the trusted peer was called untrusted");
        if (drop == ProxyDrop.None && (message.Length > bytes.Length || (client.Length != 4 && client.Length != 16)))
            throw new InvalidOperationException("the gate's message or client is not what the header says");
    }
}
