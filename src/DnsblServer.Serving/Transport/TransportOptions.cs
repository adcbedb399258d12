using System.Net;

namespace DnsblServer.Serving.Transport;

/// <summary>
/// Where and how the UDP and TCP listeners run. Plain and mutable for binding;
/// call <see cref="Validate"/> once at startup (the servers do so in <c>Start</c>).
/// </summary>
public sealed class TransportOptions
{
    /// <summary>Largest DNS message over TCP: the 2-byte length prefix caps it (RFC 1035 4.2.2).</summary>
    public const int MaxTcpMessageBytes = 65535;

    /// <summary>
    /// The addresses and ports to listen on, UDP and TCP alike. IPv6 sockets are bound
    /// v6-only, so <c>0.0.0.0</c> and <c>::</c> may both be listed on the same port. A port of 0
    /// binds an ephemeral port once; every loop (and TCP) then shares that port.
    /// </summary>
    /// <remarks>Defaults to <c>0.0.0.0:53</c> and <c>[::]:53</c>.</remarks>
    public List<IPEndPoint> Endpoints { get; set; } =
    [
        new IPEndPoint(IPAddress.Any, 53),
        new IPEndPoint(IPAddress.IPv6Any, 53),
    ];

    /// <summary>
    /// Receive loops (each a thread with its own SO_REUSEPORT socket) per endpoint. On systems
    /// without Linux's SO_REUSEPORT balancing, the loops of one endpoint share one socket.
    /// </summary>
    /// <remarks>Defaults to <see cref="Environment.ProcessorCount"/>.</remarks>
    public int UdpLoopsPerEndpoint { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// SO_RCVBUF for each UDP socket, in bytes: room for bursts while a loop is busy.
    /// Linux silently caps it at <c>net.core.rmem_max</c>.
    /// </summary>
    /// <remarks>Defaults to 4 MiB (4194304).</remarks>
    public int SocketReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Linux: after a receive that found several datagrams queued but fewer than a full batch, the
    /// loop sleeps this long before the next one, so more queries gather and are taken and answered
    /// with one wake-up and two system calls. Adds up to this much (plus timer slack) to the latency
    /// of queries arriving meanwhile, and only under load: a lone query never waits. 0 = off.
    /// </summary>
    /// <remarks>Defaults to 100 microseconds.</remarks>
    public int UdpBatchWaitMicroseconds { get; set; } = 100;

    /// <summary>
    /// How long a TCP connection may wait for the next query (or for the client to read an
    /// answer) before the server closes it (RFC 7766 6.2.3).
    /// </summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one TCP query may take to arrive whole, from the first byte of its length prefix to
    /// the last byte of the message. Not restarted by each byte, so a client trickling a frame
    /// (slowloris) is cut after this long.
    /// </summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan TcpQueryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Concurrent TCP connections across all endpoints. Lowered at start to what the descriptor
    /// limit leaves room for (see <see cref="TcpServer.MaxConnections"/>). A new connection at the
    /// cap closes the one that has waited on its client longest; only when none can be closed is
    /// the newcomer closed at once.
    /// </summary>
    /// <remarks>Defaults to 256.</remarks>
    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>
    /// Peers allowed to speak the PROXY protocol v2 (dnsdist's <c>useProxyProtocol</c>): a datagram or TCP
    /// connection from one of these must start with a valid header, whose source address is then the
    /// client for everything after (ACL, rate limits, access keys, query log); anything else from them is
    /// dropped. From other peers a header is dropped too. Empty: no PROXY handling at all.
    /// </summary>
    /// <remarks>Defaults to empty.</remarks>
    public List<IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>Whether <see cref="TransportServer"/> also listens on TCP.</summary>
    /// <remarks>Defaults to <see langword="true"/>.</remarks>
    public bool EnableTcp { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
            throw new ArgumentException("Transport: at least one endpoint is required.", nameof(Endpoints));
        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null)
                throw new ArgumentException("Transport: an endpoint is null.", nameof(Endpoints));
            if (endpoint.AddressFamily is not (System.Net.Sockets.AddressFamily.InterNetwork or System.Net.Sockets.AddressFamily.InterNetworkV6))
                throw new ArgumentException($"Transport: endpoint {endpoint} is neither IPv4 nor IPv6.", nameof(Endpoints));
        }

        if (UdpLoopsPerEndpoint < 1)
            throw new ArgumentException($"Transport: UdpLoopsPerEndpoint must be at least 1, not {UdpLoopsPerEndpoint}.", nameof(UdpLoopsPerEndpoint));
        if (UdpBatchWaitMicroseconds is < 0 or > 10_000)
            throw new ArgumentException($"Transport: UdpBatchWaitMicroseconds must be 0-10000, not {UdpBatchWaitMicroseconds}.", nameof(UdpBatchWaitMicroseconds));
        if (SocketReceiveBufferBytes < 4096)
            throw new ArgumentException($"Transport: SocketReceiveBufferBytes must be at least 4096, not {SocketReceiveBufferBytes}.", nameof(SocketReceiveBufferBytes));
        if (TcpIdleTimeout <= TimeSpan.Zero || TcpIdleTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException($"Transport: TcpIdleTimeout must be positive and under 24 days, not {TcpIdleTimeout}.", nameof(TcpIdleTimeout));
        if (TcpQueryTimeout <= TimeSpan.Zero || TcpQueryTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException($"Transport: TcpQueryTimeout must be positive and under 24 days, not {TcpQueryTimeout}.", nameof(TcpQueryTimeout));
        foreach (var network in TrustedProxies ?? [])
        {
            if (Proxy.ProxyTrust.Check(network) is { } error)
                throw new ArgumentException($"Transport: trusted proxy {error}.", nameof(TrustedProxies));
        }

        if (MaxTcpConnections < 1)
            throw new ArgumentException($"Transport: MaxTcpConnections must be at least 1, not {MaxTcpConnections}.", nameof(MaxTcpConnections));
    }
}
